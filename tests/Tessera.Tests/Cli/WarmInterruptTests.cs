using System.Diagnostics;
using System.Globalization;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>A warm stopped by SIGTERM (a supervisor, <c>timeout</c>) or Ctrl+C: one line and exit code 130, no stack
/// trace, and the next warm finishes the work. It was an unhandled OperationCanceledException (exit 134).</summary>
public sealed class WarmInterruptTests : IDisposable
{
    private const int Files = 1000;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task AnInterruptedWarm_SaysSoInOneLine_Exits130_AndTheNextWarmFinishesIt(string signal)
    {
        var library = _dir.Sub("lib");
        for (var i = 0; i < Files; i++)
        {
            Images.WriteSolidJpeg(Path.Combine(library, $"{i / 100:D2}", $"p{i:D3}.jpg"), 640, 480, (byte)i, (byte)(i >> 8), 90);
        }

        var data = Path.Combine(_dir.Path, "data");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliRunner.Dll, "warm", "--data", data, "--presets", "grid", "--parallel", "1", library })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new List<string>();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            // Interrupted once it has warmed something, long before it could have warmed everything.
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                output.Add(line);
                if (line.Contains(" warmed ", StringComparison.Ordinal) && !line.Contains(" warmed 0 ", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.Equal(0, SmallDisk.Run("kill", "-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)).Code);
            output.Add(await process.StandardOutput.ReadToEndAsync(deadline.Token));
            await process.WaitForExitAsync(deadline.Token);
        }

        var errors = await stderr;
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{errors}\n{string.Join('\n', output)}");
        Assert.Equal("tessera: interrupted", errors.Trim());

        var (code, stdout, again) = await CliRunner.RunProcessAsync("warm", "--data", data, "--presets", "grid", "--parallel", "2", library);
        Assert.True(code == 0, again);
        var summary = stdout.Trim().Split('\n')[^1];
        Assert.Matches(@"^warmed \d+, skipped \d+, failed 0 in ", summary);
        var numbers = System.Text.RegularExpressions.Regex.Matches(summary, @"\d+").Take(2).Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Files, numbers[0] + numbers[1]);
        // One rendition per distinct content (solid colours a step apart may encode to the same JPEG bytes).
        var contents = Directory.GetFiles(library, "*.jpg", SearchOption.AllDirectories).Select(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))).Distinct().Count();
        Assert.Equal(contents, Directory.GetFiles(Path.Combine(data, "renditions"), "*.webp", SearchOption.AllDirectories).Length);
    }
}
