using System.Net;
using Tessera.Core.Storage;
using Tessera.Tests.Http;
using Tessera.Tests.Support;

namespace Tessera.Tests.Cli;

/// <summary>CLI commands never touch a running server's work: the temp sweep removes only files whose writer has
/// ended, and read-only commands write nothing to the data folder.</summary>
public sealed class TempSweepTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task StatusAndHealthLoops_AndSweeps_DuringGeneration_LoseNoRendition()
    {
        const int Count = 48;
        await using var host = await TesseraHost.StartAsync(root =>
        {
            for (var i = 0; i < Count; i++)
            {
                Images.WriteSolidJpeg(Path.Combine(root, "lib", $"{i}.jpg"), 900 + i, 700, (byte)(i * 5), 80, 40);
            }
        });
        var data = Path.Combine(host.Root, "data");
        using var done = new CancellationTokenSource();

        // What every writing command does at start (FolderStartup: SweepTemp), plus read-only commands, nonstop.
        var sweeps = 0;
        var cli = 0;
        var sweeper = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                sweeps += new DataFolder(data).SweepTemp() >= 0 ? 1 : 0;
                await Task.Yield();
            }
        });
        var commands = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                Assert.Equal(0, (await CliRunner.RunAsync("status", "--data", data)).ExitCode);
                Assert.Equal(0, (await CliRunner.RunAsync("health", "--data", data)).ExitCode);
                cli += 2;
            }
        });
        var process = CliRunner.RunProcessAsync("status", "--data", data);

        using var client = TesseraHost.NewClient(host.BaseAddress, maxConnections: 4);
        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            using var response = await client.GetAsync(new Uri($"/t/lib/grid/{i}.jpg", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
        var real = await process;
        await done.CancelAsync();
        await Task.WhenAll(sweeper, commands);

        Assert.True(real.ExitCode == 0, real.Stderr);
        Assert.True(sweeps > 10 && cli > 2, $"the loops ran too little to prove anything ({sweeps} sweeps, {cli} commands)");
        var stored = Directory.GetFiles(Path.Combine(data, "renditions"), "*.webp", SearchOption.AllDirectories);
        Assert.Equal(Count, stored.Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "tmp")));
    }

    [Fact]
    public async Task ADeadWritersTempFile_IsSweptByWarm_ALiveOnesIsKept_AndReadOnlyCommandsWriteNothing()
    {
        var data = _dir.Sub("data");
        var media = _dir.Sub("media");
        Assert.Equal(0, (await CliRunner.RunAsync("warm", "--data", data, media)).ExitCode); // makes the folder
        var tmp = Path.Combine(data, "tmp");
        var owners = Directory.CreateDirectory(Path.Combine(tmp, "owners")).FullName;

        // A writer killed mid-write leaves its lock file (no longer locked) and its temp file.
        File.WriteAllBytes(Path.Combine(owners, "4242-dead.lock"), []);
        var dead = Path.Combine(tmp, "4242-dead~abc.1.webp");
        File.WriteAllBytes(dead, [1, 2, 3]);
        // A live writer holds its lock.
        var liveLock = Path.Combine(owners, "4343-live.lock");
        await using var held = new FileStream(liveLock, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        var live = Path.Combine(tmp, "4343-live~def.2.webp");
        File.WriteAllBytes(live, [4, 5, 6]);
        var layout = File.GetLastWriteTimeUtc(Path.Combine(data, "layout.json"));
        var before = Snapshot(data);

        foreach (var args in new[] { ["status"], ["health"], ["report"], ["verify"], ["negatives"], new[] { "monitor", "--count", "1", "--interval", "1s" } })
        {
            var r = await CliRunner.RunAsync([.. args, "--data", data]);
            Assert.True(r.ExitCode is 0 or 1, $"{string.Join(' ', args)}: {r.Stderr}");
        }

        Assert.Equal(before, Snapshot(data)); // nothing swept, written or created (the index may only be read)
        Assert.Equal(layout, File.GetLastWriteTimeUtc(Path.Combine(data, "layout.json")));

        Assert.Equal(0, (await CliRunner.RunAsync("warm", "--data", data, media)).ExitCode);
        Assert.False(File.Exists(dead), "a dead writer's temp file survived the sweep");
        Assert.False(File.Exists(Path.Combine(owners, "4242-dead.lock")));
        Assert.True(File.Exists(live), "a live writer's temp file was swept");
        Assert.True(File.Exists(liveLock));
    }

    [Fact]
    public async Task ADeadWritersTempFile_IsSweptWhenTheServerStarts()
    {
        string? dead = null;
        await using var host = await TesseraHost.StartAsync(root =>
        {
            var owners = Directory.CreateDirectory(Path.Combine(root, "data", "tmp", "owners")).FullName;
            File.WriteAllBytes(Path.Combine(owners, "99-gone.lock"), []);
            dead = Path.Combine(root, "data", "tmp", "99-gone~k.1.webp");
            File.WriteAllBytes(dead, [1]);
        });
        Assert.False(File.Exists(dead));
    }

    /// <summary>Every file under the data folder but the SQLite files, with length and mtime.</summary>
    private static string Snapshot(string data) => string.Join('\n', Directory.GetFiles(data, "*", SearchOption.AllDirectories)
        .Where(f => !Path.GetFileName(f).StartsWith("tessera.db", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}"));
}
