using System.Diagnostics;
using Tessera.Tests.Support;

namespace Tessera.Tests.Sources;

/// <summary>A child that never finishes is killed at the timeout, and is gone afterwards.</summary>
public sealed class FfmpegTimeoutTests
{
    [Fact]
    public async Task InputThatNeverArrives_TimesOut_AndTheChildIsGone()
    {
        using var dir = new TempDir();
        // A FIFO nobody writes to: ffprobe waits on it forever.
        var fifo = Path.Combine(dir.Path, "never.mp4");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var extractor = MediaFixtures.Extractor(timeout: TimeSpan.FromSeconds(1));
        var running = extractor.VideoFrameAsync(fifo, CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => ChildrenReading(fifo) > 0, TimeSpan.FromSeconds(30)), "ffprobe never started on the FIFO");

        var e = await Assert.ThrowsAsync<TimeoutException>(() => running.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("ffprobe took longer than 1 s", e.Message, StringComparison.Ordinal);
        Assert.True(SpinWait.SpinUntil(() => ChildrenReading(fifo) == 0, TimeSpan.FromSeconds(30)), "the timed-out child is still running");
    }

    /// <summary>Live processes whose command line names the path (a reaped or zombie child has none).</summary>
    private static int ChildrenReading(string path)
    {
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains(path, StringComparison.Ordinal) && !cmdline.StartsWith("mkfifo", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return count;
    }
}
