using System.Text.Json;
using Tessera.Tests.Cli;
using Tessera.Tests.Support;

namespace Tessera.Tests.Configuration;

/// <summary>The settings file, environment and flags as a user meets them: through the real CLI process.</summary>
public sealed class ConfigFileCliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteIssueExample(string photos)
    {
        var file = Path.Combine(_dir.Path, "tessera-settings.json");
        File.WriteAllText(file, $$"""
            {
              "Libraries": { "photos": {{TestJson.Serialize(photos)}} },
              "Presets": { "cover": "300x300:webp:80", "grid": "400x400:webp:80" },
              "Cache": { "MaxSize": "2GB" }
            }
            """);
        return file;
    }

    [Fact]
    public async Task Warm_UsesTheFilesPresets_AndStatusCountsThemPerPreset_WithTheEnvironmentOverridingTheFile()
    {
        var photos = _dir.Sub("photos");
        Images.WriteSolidJpeg(Path.Combine(photos, "a.jpg"), 900, 600);
        Images.WriteSolidJpeg(Path.Combine(photos, "b.jpg"), 600, 900, 10, 20, 30);
        var file = WriteIssueExample(photos);
        var data = Path.Combine(_dir.Path, "data");

        var warm = await CliRunner.RunAsync("warm", "--config", file, "--data", data, photos);
        Assert.True(warm.ExitCode == 0, warm.Stderr);
        Assert.Contains("warmed 4, skipped 0, failed 0", warm.Stdout, StringComparison.Ordinal);

        var status = await CliRunner.RunWithEnvironmentAsync(new Dictionary<string, string> { ["TESSERA__Cache__MaxSize"] = "3GB" },
            "status", "--config", file, "--data", data, "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        using var json = JsonDocument.Parse(status.Stdout);
        var byPreset = json.RootElement.GetProperty("byPreset");
        Assert.Equal(2, byPreset.GetProperty("cover").GetProperty("renditions").GetInt64());
        Assert.Equal(2, byPreset.GetProperty("grid").GetProperty("renditions").GetInt64());
        Assert.False(byPreset.TryGetProperty("thumb", out _), "the defaults are replaced by the file's presets");
        Assert.Equal(3L << 30, json.RootElement.GetProperty("budgetBytes").GetInt64());

        var fromFile = await CliRunner.RunAsync("status", "--config", file, "--data", data, "--json");
        using var fileJson = JsonDocument.Parse(fromFile.Stdout);
        Assert.Equal(2L << 30, fileJson.RootElement.GetProperty("budgetBytes").GetInt64());
    }

    [Fact]
    public async Task Warm_WithoutPaths_WarmsTheConfiguredLibraries_FromTessraJsonInTheDataFolder()
    {
        var photos = _dir.Sub("photos");
        Images.WriteSolidJpeg(Path.Combine(photos, "a.jpg"), 900, 600);
        var data = _dir.Sub("data");
        File.Copy(WriteIssueExample(photos), Path.Combine(data, "tessera.json"));

        var warm = await CliRunner.RunAsync("warm", "--data", data, "--presets", "cover");
        Assert.True(warm.ExitCode == 0, warm.Stderr);
        Assert.Contains("warmed 1, skipped 0, failed 0", warm.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadValue_ExitsTwo_WithOneLineNamingTheKey()
    {
        var file = Path.Combine(_dir.Path, "bad.json");
        await File.WriteAllTextAsync(file, """{ "Cache": { "MaxSize": "lots" } }""");
        var run = await CliRunner.RunAsync("status", "--config", file, "--data", _dir.Sub("data"));
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("tessera: Cache:MaxSize: 'lots' is not a size; expected e.g. 2GB, 500MB, 1.5GiB or a number of bytes", run.Stderr.Trim());

        var env = await CliRunner.RunWithEnvironmentAsync(new Dictionary<string, string> { ["TESSERA__Encoding__MaxConcurrent"] = "zero" },
            "status", "--data", _dir.Sub("data2"));
        Assert.Equal(2, env.ExitCode);
        Assert.StartsWith("tessera: Encoding:MaxConcurrent: ", env.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(env.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task AMissingOrBrokenFile_AndNoDataFolder_AreClearErrors()
    {
        var missing = await CliRunner.RunAsync("status", "--config", Path.Combine(_dir.Path, "nope.json"), "--data", _dir.Path);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("nope.json does not exist", missing.Stderr, StringComparison.Ordinal);

        var broken = Path.Combine(_dir.Path, "broken.json");
        await File.WriteAllTextAsync(broken, "{ \"Cache\": ");
        var parse = await CliRunner.RunAsync("status", "--config", broken, "--data", _dir.Path);
        Assert.Equal(2, parse.ExitCode);
        Assert.Contains("not a valid JSON settings file", parse.Stderr, StringComparison.Ordinal);

        var noData = await CliRunner.RunAsync("status");
        Assert.Equal(2, noData.ExitCode);
        Assert.Contains("Data: a data folder is required", noData.Stderr, StringComparison.Ordinal);
    }
}
