using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>A warm lists each failed file once with all its presets; --failures FILE lists every one.</summary>
public sealed class WarmFailuresTests
{
    private static IReadOnlyList<string> FailedLines(string stderr) =>
        [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("failed: ", StringComparison.Ordinal))];

    [Fact]
    public async Task FailedFile_IsReportedOnce_WithAllItsPresets_AndListedInTheFailuresFile()
    {
        using var temp = new TempDir();
        var lib = Path.Combine(temp.Path, "lib");
        Images.WriteSolidJpeg(Path.Combine(lib, "good.jpg"), 300, 200);
        File.WriteAllText(Path.Combine(lib, "text.jpg"), "not a jpeg");
        File.WriteAllBytes(Path.Combine(lib, "header.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0]);
        File.WriteAllBytes(Path.Combine(lib, "empty.webp"), []);
        var list = Path.Combine(temp.Path, "failures.tsv");

        var warm = await CliRunner.RunAsync("warm", "--data", Path.Combine(temp.Path, "data"), "--presets", "grid,grid2x,thumb",
            "--failures", list, lib);

        Assert.True(warm.ExitCode == 0, warm.Stderr);
        var shown = FailedLines(warm.Stderr);
        Assert.Equal(3, shown.Count);
        foreach (var name in new[] { "empty.webp", "header.png", "text.jpg" })
        {
            Assert.Single(shown, l => l.StartsWith($"failed: {Path.Combine(lib, name)} [grid, grid2x, thumb] ", StringComparison.Ordinal));
        }

        var lines = await File.ReadAllLinesAsync(list);
        Assert.Equal(["empty.webp", "header.png", "text.jpg"], lines.Select(l => Path.GetFileName(l.Split('\t')[0])));
        Assert.All(lines, l =>
        {
            var fields = l.Split('\t');
            Assert.Equal(4, fields.Length);
            Assert.Equal("grid,grid2x,thumb", fields[1]);
            Assert.NotEmpty(fields[2]);
            Assert.NotEmpty(fields[3]);
        });
    }

    [Fact]
    public async Task ManyFailedFiles_TheTerminalShowsTwenty_TheFailuresFileHasAll()
    {
        using var temp = new TempDir();
        var lib = Path.Combine(temp.Path, "lib");
        Directory.CreateDirectory(lib);
        for (var i = 0; i < 25; i++)
        {
            File.WriteAllText(Path.Combine(lib, $"broken{i:00}.jpg"), "not a jpeg");
        }

        var list = Path.Combine(temp.Path, "failures.tsv");
        var warm = await CliRunner.RunAsync("warm", "--data", Path.Combine(temp.Path, "data"), "--presets", "grid,grid2x",
            "--failures", list, lib);

        Assert.True(warm.ExitCode == 0, warm.Stderr);
        Assert.Equal(20, FailedLines(warm.Stderr).Count);
        Assert.Contains($"… and 5 more files (all in {list})", warm.Stderr, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(list);
        Assert.Equal(25, lines.Length);
        Assert.Equal(25, lines.Select(l => l.Split('\t')[0]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task FailuresFile_InAMissingFolder_FailsBeforeWarming()
    {
        using var temp = new TempDir();
        Images.WriteSolidJpeg(Path.Combine(temp.Path, "lib", "good.jpg"), 300, 200);

        var warm = await CliRunner.RunAsync("warm", "--data", Path.Combine(temp.Path, "data"), "--failures",
            Path.Combine(temp.Path, "no", "such", "list.tsv"), Path.Combine(temp.Path, "lib"));

        Assert.Equal(2, warm.ExitCode);
        Assert.Contains("--failures", warm.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warmed", warm.Stdout, StringComparison.Ordinal);
    }
}
