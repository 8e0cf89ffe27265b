using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Index;
using Tessera.Index.Sqlite;
using Tessera.Tests.Cli;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Index;

/// <summary>kill -9 during `tessera warm`, again and again, with a real process.</summary>
[Collection(Serial.Name)]
public sealed class CrashSafetyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Kill9DuringWarm_TwentyTimes_LeavesAConsistentIndexAndNoPartialFile_AndTheNextWarmFinishes()
    {
        var media = _dir.Sub("media");
        var photos = Corpus.Files("photos").ToList();
        for (var i = 0; i < 100; i++)
        {
            // Distinct content per copy, so every file is real work.
            var bytes = await File.ReadAllBytesAsync(photos[i % photos.Count]);
            await File.WriteAllBytesAsync(Path.Combine(media, $"{i:00}{Path.GetExtension(photos[i % photos.Count])}"), [.. bytes, (byte)i]);
        }

        var data = Path.Combine(_dir.Path, "data");
        var random = new Random(42);
        var killedMidway = 0;
        for (var round = 0; round < 20; round++)
        {
            // Killed at a random moment after the warm has started writing (its first progress line), not after an
            // idle guess at how long .NET takes to start.
            var working = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var process = Start(() => working.TrySetResult(), "warm", "--data", data, "--presets", "thumb,grid", "--parallel", "2", media);
            await Task.WhenAny(working.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
            await Task.Delay(random.Next(0, 400));
            if (!process.HasExited)
            {
                process.Kill(); // SIGKILL: no finally blocks, no flush
                killedMidway++;
            }

            await process.WaitForExitAsync();
            AssertConsistent(data);
        }

        Assert.True(killedMidway >= 10, $"only {killedMidway} of 20 runs were killed mid-warm; the test proves little");
        var final = await CliRunner.RunAsync("warm", "--data", data, "--presets", "thumb,grid", media);
        Assert.True(final.ExitCode == 0, final.Stderr);
        Assert.Matches(@"warmed \d+, skipped \d+, failed 0", final.Stdout);
        var again = await CliRunner.RunAsync("warm", "--data", data, "--presets", "thumb,grid", media);
        Assert.Contains("warmed 0, skipped 200, failed 0", again.Stdout, StringComparison.Ordinal);
        AssertConsistent(data);
    }

    private static void AssertConsistent(string data)
    {
        using (var index = SqliteIndex.Open(Path.Combine(data, "tessera.db"), NullLogger.Instance))
        {
            Assert.Equal("ok", index.Maintenance.IntegrityCheckAsync(default).GetAwaiter().GetResult());
        }

        // Every published rendition is whole: it decodes, and nothing half-written sits under renditions/.
        var renditions = Path.Combine(data, "renditions");
        if (!Directory.Exists(renditions))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(renditions, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            using var image = VipsImage.Thumbnail(bytes, new ThumbnailOptions(8, 8));
            Assert.True(image.ToPixels().Length > 0, $"{file} does not decode");
        }
    }

    private static Process Start(Action onOutput, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Cli.CliRunner.Dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onOutput();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
