using System.Text.Json;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>Most CLI tests run the commands in-process; these run the real binary once per command family, so the
/// process itself (start-up, SQLite set-up, exit codes, writing to the real console) is covered.</summary>
public sealed class ProcessSmokeTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WarmThenReadCommands_AsProcesses()
    {
        var media = _dir.Sub("media");
        Images.WriteSolidJpeg(Path.Combine(media, "a.jpg"), 900, 600);
        var data = Path.Combine(_dir.Path, "data");

        var warm = await CliRunner.RunProcessAsync("warm", "--data", data, "--presets", "thumb", media);
        Assert.True(warm.ExitCode == 0, warm.Stderr);
        Assert.Contains("warmed 1, skipped 0, failed 0", warm.Stdout, StringComparison.Ordinal);

        var status = await CliRunner.RunProcessAsync("status", "--data", data, "--json");
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal(1, json.RootElement.GetProperty("renditions").GetInt64());

        var report = await CliRunner.RunProcessAsync("report", "--data", data);
        Assert.Equal(0, report.ExitCode);
        Assert.Contains("hit ratio", report.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaintenanceAndNegatives_AsProcesses()
    {
        var data = _dir.Sub("data");
        Assert.Equal(0, (await CliRunner.RunProcessAsync("verify", "--data", data)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunProcessAsync("cleanup", "--data", data, "--dry-run")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunProcessAsync("rebuild-index", "--data", data)).ExitCode);
        var negatives = await CliRunner.RunProcessAsync("negatives", "--data", data);
        Assert.Equal(0, negatives.ExitCode);
        Assert.Contains("0 negative entries", negatives.Stdout, StringComparison.Ordinal);
        var health = await CliRunner.RunProcessAsync("health", "--data", data, "--json");
        Assert.True(health.ExitCode is 0 or 1, health.Stderr); // 1 only if this machine's disk is nearly full
        Assert.Contains("\"checks\"", health.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignAndOperatorErrors_AsProcesses()
    {
        var sign = await CliRunner.RunProcessAsync("sign", "https://example.com/a.jpg", "--preset", "grid", "--signing-key", "0123456789abcdef-key");
        Assert.Equal(0, sign.ExitCode);
        Assert.StartsWith("/r/", sign.Stdout.Trim(), StringComparison.Ordinal);

        var bad = await CliRunner.RunProcessAsync("status", "--data", _dir.Path, "--max-cache-size", "1GB");
        Assert.NotEqual(0, bad.ExitCode); // status has no such flag: System.CommandLine refuses it
        var noData = await CliRunner.RunProcessAsync("warm", _dir.Path);
        Assert.Equal(2, noData.ExitCode);
        Assert.StartsWith("tessera: Data: ", noData.Stderr.Trim(), StringComparison.Ordinal);
    }
}
