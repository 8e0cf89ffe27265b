using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Pipeline;

/// <summary>Every hostile or broken file: a clean ThumbnailException or a valid thumbnail, never a crash or a hang.</summary>
public sealed class MalformedInputTests
{
    private static readonly Thumbnailer Pipeline = new(new PipelineOptions { DecodeTimeout = TimeSpan.FromSeconds(20) });
    private static readonly Preset Grid = new("grid", 400, 400);

    /// <summary>Declared sizes far past the 100 MP limit: refused from the header, before any decode.</summary>
    private static readonly string[] PixelBombs =
    [
        "malformed/sharp__65536-uint32-limit.png",
        "malformed/libvips__17000x17000.avif",
        "malformed/weserv__giant.svg",
    ];

    public static TheoryData<string> Files() => Corpus.Theory("malformed");

    [Theory]
    [MemberData(nameof(Files))]
    public async Task MalformedFile_GivesAReasonOrAValidThumbnail(string file)
    {
        EncodedImage? result = null;
        try
        {
            result = await Pipeline.FromFileAsync(Corpus.Path(file), Grid, OutputFormat.WebP);
        }
        catch (ThumbnailException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.True(Enum.IsDefined(e.Reason));
            return;
        }

        Assert.InRange(result.Width, 1, 400);
        Assert.InRange(result.Height, 1, 400);
        Assert.Equal("webpload_buffer", VipsImage.Probe(result.Bytes).Loader);
        Assert.Empty(Images.MetadataMarkers(result.Bytes));
    }

    [Fact]
    public async Task PixelBombs_AreRefusedFromTheHeader_BeforeDecoding()
    {
        foreach (var file in PixelBombs)
        {
            var before = VipsDiagnostics.TrackedBytes;
            var e = await Assert.ThrowsAsync<ThumbnailException>(() => Pipeline.FromFileAsync(Corpus.Path(file), Grid, OutputFormat.WebP));
            Assert.Equal(FailureReason.TooLarge, e.Reason);
            Assert.Matches("the limit is 100000000|Security limit exceeded", e.Message);
            Assert.True(VipsDiagnostics.TrackedBytes - before < 64 * 1024 * 1024, $"{file} allocated pixel memory");
        }
    }

    [Fact]
    public async Task HugeButAllowedJpeg_IsShrunkOnLoad_WithBoundedMemory()
    {
        // 99.6 MP is under the limit: JPEG shrink-on-load decodes it at 1/8 scale, so memory stays small.
        var result = await Pipeline.FromFileAsync(Corpus.Path("malformed/thumbor__9643x10328.jpg"), Grid, OutputFormat.WebP);
        Assert.Equal(400, result.Height);
        Assert.True(VipsDiagnostics.TrackedBytesHighwater < 1024L * 1024 * 1024, $"libvips held {VipsDiagnostics.TrackedBytesHighwater} bytes at once");
    }

    [Fact]
    public async Task LimitsAreConfigurable()
    {
        var strict = new Thumbnailer(new PipelineOptions { MaxSourcePixels = 1_000_000, MaxInputBytes = 100_000 });
        var tooManyPixels = await Assert.ThrowsAsync<ThumbnailException>(() => strict.FromFileAsync(Corpus.Path("exif/Landscape_1.jpg"), Grid, OutputFormat.WebP));
        Assert.Equal(FailureReason.TooLarge, tooManyPixels.Reason);
        var tooManyBytes = await Assert.ThrowsAsync<ThumbnailException>(() => strict.FromFileAsync(Corpus.Path("photos/mate__Wood.jpg"), Grid, OutputFormat.WebP));
        Assert.Equal(FailureReason.TooLarge, tooManyBytes.Reason);
        Assert.Contains("bytes", tooManyBytes.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADecodePastTheTimeCap_IsAbandonedWithTimeout()
    {
        // A 99.6 MP JPEG takes tens to hundreds of ms even at 1/8 scale; a 1 ms cap (started once the header is read and
        // a slot granted) is always passed, so the decode is abandoned with a timeout and its slot freed when it ends.
        var hasty = new Thumbnailer(new PipelineOptions { DecodeTimeout = TimeSpan.FromMilliseconds(1) });
        var e = await Assert.ThrowsAsync<ThumbnailException>(() =>
            hasty.FromFileAsync(Corpus.Path("malformed/thumbor__9643x10328.jpg"), Grid, OutputFormat.WebP));
        Assert.Equal(FailureReason.Timeout, e.Reason);
        Assert.Contains("decoding took longer than", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingAndEmptyFiles_HaveTheirOwnReasons()
    {
        var missing = await Assert.ThrowsAsync<ThumbnailException>(() => Pipeline.FromFileAsync("/nonexistent/x.jpg", Grid, OutputFormat.WebP));
        Assert.Equal(FailureReason.NotFound, missing.Reason);
        var empty = await Assert.ThrowsAsync<ThumbnailException>(() => Pipeline.FromFileAsync(Corpus.Path("malformed/wuffs__0.bytes"), Grid, OutputFormat.WebP));
        Assert.Equal(FailureReason.DecodeFailed, empty.Reason);
    }
}

/// <summary>A TimeProvider whose timers fire only when the test says so.</summary>
internal sealed class ManualTimers : TimeProvider
{
    private readonly List<(TimerCallback Callback, object? State)> _timers = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_timers)
        {
            _timers.Add((callback, state));
        }

        return new Handle();
    }

    /// <summary>Fires every timer created so far; returns how many.</summary>
    public int Fire()
    {
        (TimerCallback Callback, object? State)[] due;
        lock (_timers)
        {
            due = [.. _timers];
            _timers.Clear();
        }

        foreach (var (callback, state) in due)
        {
            callback(state);
        }

        return due.Length;
    }

    private sealed class Handle : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
