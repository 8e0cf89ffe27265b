using System.Diagnostics;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>Runs the `tessera` CLI in-process, or as a child process, output redirected. It runs from the CLI project's own
/// build output (same configuration as the tests), with its own dependencies: the copy beside the tests shares the
/// test project's package resolution, which picks the shared framework's Microsoft.Extensions assemblies over the
/// newer packages the CLI was built against.</summary>
internal static class CliRunner
{
    public static string Dll { get; } = Locate();

    /// <summary>Runs a command in-process: the same command objects and composition as the binary, writing to buffers.
    /// Use <see cref="RunProcessAsync"/> where the process itself is under test (exit, environment, signals).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Tessera.Cli.TesseraCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the real `tessera` binary as a child process.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunProcessAsync(params string[] args) => RunWithEnvironmentAsync(null, args);

    /// <summary>Runs the CLI with extra environment variables (e.g. TESSERA__Cache__MaxSize).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var dll = Dll;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        // tests/Tessera.Tests/bin/<Configuration>/<tfm>/ → src/Tessera.Cli/bin/<Configuration>/<tfm>/tessera.dll
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var dll = Path.Combine(RepoRoot.Path, "src", "Tessera.Cli", "bin", configuration, tfm.Name, "tessera.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"the CLI build output is missing: {dll}", dll);
    }
}
