using Tessera.Core.Sources;
using Tessera.Tests.Support;
using Tessera.Vips;

namespace Tessera.Tests.Sources;

/// <summary>Cover art comes out of every audio container as stored, and out of videos that carry one.</summary>
public sealed class EmbeddedCoverTests : IDisposable
{
    private static readonly (byte R, byte G, byte B) Orange = (220, 120, 30);
    private static readonly (byte R, byte G, byte B) Teal = (20, 160, 170);

    private readonly TempDir _dir = new();
    private readonly string _jpeg;
    private readonly string _png;

    public EmbeddedCoverTests()
    {
        _jpeg = Path.Combine(_dir.Path, "cover.jpg");
        File.WriteAllBytes(_jpeg, MediaFixtures.SolidImage(64, 48, Orange.R, Orange.G, Orange.B, ImageFormat.Jpeg));
        _png = Path.Combine(_dir.Path, "cover.png");
        File.WriteAllBytes(_png, MediaFixtures.SolidImage(40, 56, Teal.R, Teal.G, Teal.B, ImageFormat.Png));
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("mp3", "jpg", "libmp3lame")]
    [InlineData("m4a", "jpg", "aac")]
    [InlineData("m4b", "jpg", "aac")]
    [InlineData("m4b", "png", "aac")]
    [InlineData("flac", "png", "flac")]
    [InlineData("aac", "jpg", "aac")]
    public async Task AudioWithAnAttachedCover_GivesThatCover(string container, string cover, string codec)
    {
        var image = cover == "jpg" ? _jpeg : _png;
        var extra = container == "mp3" ? new[] { "-id3v2_version", "3" } : [];
        // Raw ADTS AAC cannot hold a picture; an ID3v2 tag in front of it can, as in the corpus fixture.
        var file = container == "aac"
            ? AacWithId3(image)
            : MediaFixtures.Make(Path.Combine(_dir.Path, $"song.{container}"),
                ["-f", "lavfi", "-i", "sine=d=1", "-i", image, "-map", "0", "-map", "1", "-c:a", codec, "-c:v", "copy", .. extra,
                 "-disposition:v:0", "attached_pic"]);

        var bytes = await MediaFixtures.Extractor().EmbeddedCoverAsync(file, CancellationToken.None);

        AssertIsCover(bytes, cover);
    }

    [Theory]
    [InlineData("ogg", "jpg", "libvorbis")]
    [InlineData("opus", "png", "libopus")]
    public async Task OggAndOpus_WithAMetadataBlockPicture_GiveThatCover(string container, string cover, string codec)
    {
        var (image, mime, w, h) = cover == "jpg" ? (_jpeg, "image/jpeg", 64, 48) : (_png, "image/png", 40, 56);
        var block = MediaFixtures.PictureBlock(File.ReadAllBytes(image), mime, w, h);
        var file = MediaFixtures.Make(Path.Combine(_dir.Path, $"song.{container}"),
            "-f", "lavfi", "-i", "sine=d=1", "-c:a", codec, "-metadata", "METADATA_BLOCK_PICTURE=" + block);

        var bytes = await MediaFixtures.Extractor().EmbeddedCoverAsync(file, CancellationToken.None);

        AssertIsCover(bytes, cover);
    }

    [Fact]
    public async Task AudioWithoutACover_GivesNull_WithoutStartingFfmpeg()
    {
        var file = MediaFixtures.Make(Path.Combine(_dir.Path, "plain.m4a"), "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac");

        // An ffmpeg that cannot start would throw: null means only ffprobe ran.
        var cover = await MediaFixtures.Extractor(ffmpeg: "/nonexistent/ffmpeg").EmbeddedCoverAsync(file, CancellationToken.None);
        Assert.Null(cover);

        var probe = await MediaFixtures.Extractor().ProbeAsync(file, CancellationToken.None);
        Assert.Equal(new MediaProbe(probe.Duration, null, false), probe);
        Assert.InRange(probe.Duration!.Value.TotalSeconds, 0.9, 1.2);

        // Control: with a cover, the same broken ffmpeg path is started and fails.
        var withCover = MediaFixtures.Make(Path.Combine(_dir.Path, "covered.m4a"),
            "-f", "lavfi", "-i", "sine=d=1", "-i", _jpeg, "-map", "0", "-map", "1", "-c:a", "aac", "-c:v", "copy", "-disposition:v:0", "attached_pic");
        await Assert.ThrowsAsync<ExternalToolException>(() => MediaFixtures.Extractor(ffmpeg: "/nonexistent/ffmpeg").EmbeddedCoverAsync(withCover, CancellationToken.None));
    }

    [Theory]
    [InlineData("formats/filetype__fixture-bad-offset.mp3")]
    [InlineData("formats/filetype__fixture-id3v2.aac")]
    public async Task CorpusAudio_WithApicCovers_GivesADecodableCover(string file)
    {
        var cover = await MediaFixtures.Extractor().EmbeddedCoverAsync(Corpus.Path(file), CancellationToken.None);
        Assert.NotNull(cover);
        var header = VipsImage.Probe(cover);
        Assert.Equal("jpegload_buffer", header.Loader);
        using var decoded = VipsImage.Thumbnail(cover, new ThumbnailOptions(64, 64));
        Assert.True(decoded.Average() >= 0);
    }

    [Theory]
    [InlineData("mkv")]
    [InlineData("mp4")]
    public async Task VideoWithAnAttachedCover_GivesTheCover_AndAFrameThatIsNotTheCover(string container)
    {
        // Both demuxers list the cover after the tracks, whatever order the file was written in.
        var file = Path.Combine(_dir.Path, $"film.{container}");
        string[] video = ["-f", "lavfi", "-i", "color=c=green:s=96x64:r=25:d=3"];
        MediaFixtures.Make(file, container == "mkv"
            ? [.. video, "-attach", _png, "-metadata:s:t", "mimetype=image/png", "-c:v", "mpeg4"]
            : ["-i", _png, .. video, "-map", "0", "-map", "1", "-c:v:0", "png", "-c:v:1", "mpeg4", "-disposition:v:0", "attached_pic"]);
        var extractor = MediaFixtures.Extractor();

        var probe = await extractor.ProbeAsync(file, CancellationToken.None);
        Assert.Equal((1, true, "png"), (probe.AttachedPictureStream, probe.HasVideo, probe.AttachedPictureCodec));

        AssertIsCover(await extractor.EmbeddedCoverAsync(file, CancellationToken.None), "png", exact: container == "mkv");

        var frame = await extractor.VideoFrameAsync(file, CancellationToken.None);
        var look = MediaFixtures.Look(frame);
        Assert.Equal((96, 64), (look.Width, look.Height));
        MediaFixtures.AssertColour(frame, (0, 128, 0), "the frame");
    }

    private string AacWithId3(string image)
    {
        var raw = MediaFixtures.Make(Path.Combine(_dir.Path, "raw.aac"), "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac");
        var tag = MediaFixtures.Make(Path.Combine(_dir.Path, "tag.mp3"),
            "-f", "lavfi", "-t", "0.1", "-i", "anullsrc", "-i", image, "-map", "0", "-map", "1", "-c:a", "libmp3lame", "-c:v", "copy",
            "-id3v2_version", "3", "-disposition:v:0", "attached_pic");
        // The ID3v2 tag from the MP3 (its size is in the header), then the AAC stream.
        var mp3 = File.ReadAllBytes(tag);
        var size = 10 + ((mp3[6] & 0x7F) << 21 | (mp3[7] & 0x7F) << 14 | (mp3[8] & 0x7F) << 7 | (mp3[9] & 0x7F));
        var path = Path.Combine(_dir.Path, "song.aac");
        File.WriteAllBytes(path, [.. mp3.AsSpan(0, size), .. File.ReadAllBytes(raw)]);
        return path;
    }

    /// <param name="exact">The container holds the cover file unchanged, so the bytes must match it: copied, not re-encoded.</param>
    private void AssertIsCover(byte[]? bytes, string cover, bool exact = true)
    {
        Assert.NotNull(bytes);
        if (exact)
        {
            Assert.Equal(File.ReadAllBytes(cover == "jpg" ? _jpeg : _png), bytes);
        }

        var (loader, size, colour) = cover == "jpg" ? ("jpegload_buffer", (64, 48), Orange) : ("pngload_buffer", (40, 56), Teal);
        Assert.Equal(loader, VipsImage.Probe(bytes).Loader);
        var look = MediaFixtures.Look(bytes);
        Assert.Equal(size, (look.Width, look.Height));
        MediaFixtures.AssertColour(bytes, colour, "the cover");
    }
}
