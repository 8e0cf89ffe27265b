using Tessera.Core.Sources;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Sources;

/// <summary>A video's thumbnail frame: 10% in, the first frame for short clips, a clean failure for broken files.</summary>
public sealed class VideoFrameTests : IDisposable
{
    private static readonly TimeSpan DidNotHang = TimeSpan.FromSeconds(60);
    private static readonly (byte, byte, byte) Red = (255, 0, 0);
    private static readonly (byte, byte, byte) Blue = (0, 0, 255);

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("formats/filetype__fixture-imovie.mp4")]
    [InlineData("formats/filetype__fixture.mkv")]
    [InlineData("formats/filetype__fixture-mjpeg.mov")]
    public async Task CorpusVideo_GivesADecodableJpegFrame(string file)
    {
        var frame = await MediaFixtures.Extractor().VideoFrameAsync(Corpus.Path(file), CancellationToken.None);

        Assert.Equal("jpegload_buffer", VipsImage.Probe(frame).Loader);
        var look = MediaFixtures.Look(frame);
        Assert.True(look.Width > 0 && look.Height > 0);
    }

    [Fact]
    public async Task TenSecondClip_GivesTheFrameAtOneSecond()
    {
        // Red for the first half second, blue after: 10% of 10 s lands in the blue.
        var clip = Clip("ten.mp4", 10, redUntil: 0.5);
        Assert.Equal(TimeSpan.FromSeconds(10), (await MediaFixtures.Extractor().ProbeAsync(clip, CancellationToken.None)).Duration);

        var frame = await MediaFixtures.Extractor().VideoFrameAsync(clip, CancellationToken.None);

        MediaFixtures.AssertColour(frame, Blue, "the frame at 10%");
        MediaFixtures.AssertColour(FirstFrame(clip), Red, "the clip's first frame"); // control: the start is red
    }

    [Fact]
    public async Task HalfSecondClip_GivesItsFirstFrame()
    {
        // Only the very first frame (25 fps) is red: 10% of 0.5 s would already be blue.
        var clip = Clip("half.mp4", 0.5, redUntil: 0.03);

        var frame = await MediaFixtures.Extractor().VideoFrameAsync(clip, CancellationToken.None);

        MediaFixtures.AssertColour(frame, Red, "the frame of a half-second clip");
    }

    [Fact]
    public async Task ASeekThatFindsNoFrame_IsRetriedAtTheStart()
    {
        // 10 s of audio but half a second of video: the container says 10 s, so the 1 s seek finds no frame.
        var file = MediaFixtures.Make(Path.Combine(_dir.Path, "short-video.mp4"),
            "-f", "lavfi", "-i", "color=c=red:s=64x48:r=25:d=0.5", "-f", "lavfi", "-i", "sine=d=10",
            "-map", "0", "-map", "1", "-c:v", "mpeg4", "-c:a", "aac");
        var probe = await MediaFixtures.Extractor().ProbeAsync(file, CancellationToken.None);
        Assert.True(probe.Duration > TimeSpan.FromSeconds(9), "the container must claim the audio's length");

        var frame = await MediaFixtures.Extractor().VideoFrameAsync(file, CancellationToken.None);

        MediaFixtures.AssertColour(frame, Red, "the retried frame");
    }

    [Fact]
    public async Task AudioWithACover_HasNoVideoFrame_TheCoverIsNotOne()
    {
        var cover = Path.Combine(_dir.Path, "cover.jpg");
        Images.WriteSolidJpeg(cover, 32, 32);
        var song = MediaFixtures.Make(Path.Combine(_dir.Path, "song.mp3"),
            "-f", "lavfi", "-i", "sine=d=2", "-i", cover, "-map", "0", "-map", "1", "-c:a", "libmp3lame", "-c:v", "copy", "-disposition:v:0", "attached_pic");

        var e = await Assert.ThrowsAsync<ExternalToolException>(() => MediaFixtures.Extractor().VideoFrameAsync(song, CancellationToken.None));
        Assert.Contains("no video stream", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedAndGarbageVideos_FailWithExternalToolException_WithoutHanging()
    {
        var whole = await File.ReadAllBytesAsync(Clip("whole.mp4", 10, redUntil: 0.5));
        var truncated = Path.Combine(_dir.Path, "truncated.mp4");
        await File.WriteAllBytesAsync(truncated, whole.AsMemory(0, 2048));
        var garbage = Path.Combine(_dir.Path, "garbage.mp4");
        var noise = new byte[256 * 1024];
        new Random(42).NextBytes(noise);
        await File.WriteAllBytesAsync(garbage, noise);

        foreach (var file in new[] { truncated, garbage })
        {
            var e = await Assert.ThrowsAsync<ExternalToolException>(() => MediaFixtures.Extractor().VideoFrameAsync(file, CancellationToken.None).WaitAsync(DidNotHang));
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            await Assert.ThrowsAsync<ExternalToolException>(() => MediaFixtures.Extractor().EmbeddedCoverAsync(file, CancellationToken.None).WaitAsync(DidNotHang));
        }
    }

    private string Clip(string name, double seconds, double redUntil) =>
        MediaFixtures.Make(Path.Combine(_dir.Path, name),
            "-f", "lavfi", "-i", $"color=c=blue:s=64x48:r=25:d={seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "-vf", $"drawbox=x=0:y=0:w=iw:h=ih:color=red:t=fill:enable='lt(t,{redUntil.ToString(System.Globalization.CultureInfo.InvariantCulture)})'",
            "-c:v", "mpeg4", "-q:v", "3");

    /// <summary>The clip's first frame, taken by the test's own ffmpeg run.</summary>
    private byte[] FirstFrame(string clip)
    {
        var still = MediaFixtures.Make(Path.Combine(_dir.Path, "first.jpg"), "-i", clip, "-frames:v", "1", "-update", "1");
        return File.ReadAllBytes(still);
    }
}
