using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>A read-only data folder (for serve) and a port in use: one clear line on stderr and exit 2, through the real binary.
/// The read-only folder is a tmpfs remounted read-only, which needs root (CI runs as root): root ignores chmod.</summary>
[Collection(Serial.Name)]
public sealed class OperatorErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AReadOnlyDataFolder_IsOneLineAndExit2_ForServe()
    {
        var mount = _dir.Sub("ro");
        Assert.True(Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount) == 0, "this test mounts a tmpfs and needs root");
        try
        {
            var data = Path.Combine(mount, "data");
            Assert.Equal(0, (await CliRunner.RunProcessAsync("status", "--data", data)).ExitCode);
            Assert.Equal(0, Run("mount", "-o", "remount,ro", mount));
            var library = _dir.Sub("lib");
            // Read-only commands work there (Cli/ReadOnlyCommandsTests); serve, which must write, says why it cannot.
            Assert.Equal(0, (await CliRunner.RunProcessAsync("status", "--data", data)).ExitCode);
            foreach (var args in new[] { new[] { "serve", "--data", data, "--library", $"l={library}", "--urls", "http://127.0.0.1:0" } })
            {
                var (code, stdout, stderr) = await CliRunner.RunProcessAsync(args);
                Assert.True(code == 2, $"{args[0]}: exit {code}\n{stderr}");
                Assert.Equal($"tessera: the data folder {data} is not writable", stderr.Trim().Split(" (")[0]);
                Assert.Single(stderr.Trim().Split('\n'));
                Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            Run("umount", "-l", mount);
        }
    }

    [Fact]
    public async Task APortInUse_IsOneLineAndExit2()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (code, stdout, stderr) = await CliRunner.RunProcessAsync("serve", "--data", _dir.Sub("data"), "--library", $"l={_dir.Sub("lib")}", "--urls", $"http://127.0.0.1:{port}");
        Assert.Equal(2, code);
        Assert.Equal($"tessera: Failed to bind to address http://127.0.0.1:{port}: address already in use.", stderr.Trim());
        Assert.DoesNotContain("   at ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipedOutput_HasNoColourCodes_EvenWhenTermSaysColour()
    {
        var colour = new Dictionary<string, string> { ["TERM"] = "xterm-256color", ["COLORTERM"] = "truecolor" };
        var (code, stdout, stderr) = await CliRunner.RunWithEnvironmentAsync(colour, "status", "--data", _dir.Sub("data"));
        Assert.True(code == 0, stderr);
        Assert.Contains("renditions", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout + stderr);
    }

    private static int Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }
}
