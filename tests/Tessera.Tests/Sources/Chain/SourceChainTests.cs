using Tessera.Core.Cache;
using Tessera.Core.Pipeline;
using Tessera.Core.Presets;
using Tessera.Core.Sources.Chain;
using Tessera.Tests.Support;

namespace Tessera.Tests.Sources.Chain;

/// <summary>The source chain on real files and the real ffmpeg: embedded art → sidecar → the file → placeholder.</summary>
public sealed class SourceChainTests : IDisposable
{
    private static readonly Preset Grid = PresetCatalog.Default.All.Single(p => p.Name == "grid");
    private readonly CacheFixture _f = new();

    private ThumbnailService Service => _f.Cache.Service;

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task EmbeddedCover_BeatsASidecar_ForAnAudiobook()
    {
        var red = Images.WriteSolidJpeg(Path.Combine(_f.Root, "red.jpg"), 300, 300, 255, 0, 0);
        var book = MediaFixtures.Audio(Path.Combine(_f.Library, "book", "book.m4b"), red);
        Images.WriteSolidJpeg(Path.Combine(_f.Library, "book", "cover.jpg"), 300, 300, 0, 0, 255);

        var prepared = await Service.PrepareAsync(new FileItem(book, null), Grid, OutputFormat.Png, default);
        var result = await Service.GetAsync(prepared.Request!, default);

        Assert.Equal(Steps.Embedded, prepared.Request!.Original.Step);
        Assert.Equal(ThumbnailOutcome.Generated, result.Outcome);
        AssertColour(result.Bytes, 255, 0, 0);
    }

    [Fact]
    public async Task AudioWithoutArt_UsesTheSidecar_WhateverItsCase()
    {
        var song = MediaFixtures.Audio(Path.Combine(_f.Library, "album", "01.mp3"));
        Images.WriteSolidJpeg(Path.Combine(_f.Library, "album", "Cover.JPG"), 300, 300, 0, 0, 255);

        var prepared = await Service.PrepareAsync(song, Grid, OutputFormat.Png, default);
        var result = await Service.GetAsync(prepared.Request!, default);

        Assert.Equal(Steps.Sidecar, prepared.Request!.Original.Step);
        AssertColour(result.Bytes, 0, 0, 255);
    }

    [Fact]
    public async Task TheItemsOwnSidecar_BeatsTheFoldersCover()
    {
        var episode = MediaFixtures.Video(Path.Combine(_f.Library, "show", "e01.mp4"));
        Images.WriteSolidJpeg(Path.Combine(_f.Library, "show", "poster.jpg"), 300, 300, 0, 0, 255);
        Images.WriteSolidJpeg(Path.Combine(_f.Library, "show", "e01.jpg"), 300, 300, 255, 255, 0);

        var result = await Service.GetAsync(episode, Grid, OutputFormat.Png, default);

        AssertColour(result.Bytes, 255, 255, 0);
    }

    [Fact]
    public async Task Video_PrefersAPoster_ElseAFrame()
    {
        var clip = MediaFixtures.Video(Path.Combine(_f.Library, "film", "film.mp4"), "green");
        var frame = await Service.PrepareAsync(clip, Grid, OutputFormat.Png, default);
        Assert.Equal(Steps.Frame, frame.Request!.Original.Step);
        AssertColour((await Service.GetAsync(frame.Request, default)).Bytes, 0, 128, 0);

        Images.WriteSolidJpeg(Path.Combine(_f.Library, "film", "poster.jpg"), 200, 300, 0, 0, 255);
        var poster = await Service.PrepareAsync(clip, Grid, OutputFormat.Png, default);

        Assert.Equal(Steps.Sidecar, poster.Request!.Original.Step);
        AssertColour((await Service.GetAsync(poster.Request, default)).Bytes, 0, 0, 255);
    }

    [Fact]
    public async Task NothingAnywhere_IsNegative_SaysWhatEachStepFound_AndACoverAddedLaterIsSeenAtOnce()
    {
        var song = MediaFixtures.Audio(Path.Combine(_f.Library, "bare", "song.flac"));

        var failed = await Service.GetAsync(song, Grid, OutputFormat.WebP, default);
        Assert.Equal(FailureReason.NoCover, failed.Failure);
        Assert.Contains("embedded: no embedded image", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("sidecar: no sidecar image", failed.Detail, StringComparison.Ordinal);
        Assert.NotNull(Service.KnownFailure(song, OutputFormat.WebP));

        await Task.Delay(20); // a distinct folder mtime on coarse file systems
        Images.WriteSolidJpeg(Path.Combine(_f.Library, "bare", "folder.jpg"), 300, 300, 0, 0, 255);

        Assert.Null(Service.KnownFailure(song, OutputFormat.WebP));
        var served = await Service.GetAsync(song, Grid, OutputFormat.Png, default);
        Assert.Equal(ThumbnailOutcome.Generated, served.Outcome);
        AssertColour(served.Bytes, 0, 0, 255);
    }

    [Fact]
    public async Task ARequestPath_SharesItsOneStat_AndASidecarAddedLaterIsSeenOnceTheFolderChanges()
    {
        var library = new Tessera.Core.Sources.FolderLibrary("lib", _f.Library);
        var song = MediaFixtures.Audio(Path.Combine(_f.Library, "later", "song.flac"));
        FileItem Item()
        {
            var resolved = library.Resolve("later/song.flac");
            Assert.NotNull(resolved.Stamp); // what /t/ hands on: the signature and the fingerprint take no stat of their own
            return new FileItem(resolved.FullPath!, library) { Stamp = resolved.Stamp };
        }

        var failed = await Service.GetAsync(Item(), Grid, OutputFormat.WebP, default);
        Assert.Equal(FailureReason.NoCover, failed.Failure);
        Assert.NotNull(Service.KnownFailure(Item(), OutputFormat.WebP));

        await Task.Delay(20); // a distinct folder mtime on coarse file systems
        Images.WriteSolidJpeg(Path.Combine(_f.Library, "later", "cover.jpg"), 300, 300, 0, 0, 255);

        Assert.Null(Service.KnownFailure(Item(), OutputFormat.WebP));
        var served = await Service.GetAsync(Item(), Grid, OutputFormat.Png, default);
        Assert.Equal(ThumbnailOutcome.Generated, served.Outcome);
        AssertColour(served.Bytes, 0, 0, 255);
        Assert.Equal(song, Item().FullPath);
    }

    [Fact]
    public async Task Pdf_UsesItsSidecar_ElseItsFirstPage()
    {
        var pdf = Path.Combine(_f.Library, "docs", "refcard.pdf");
        Directory.CreateDirectory(Path.GetDirectoryName(pdf)!);
        File.Copy(Corpus.Path("formats/debian-refcard__refcard-en-a4.pdf"), pdf);

        var page = await Service.PrepareAsync(pdf, Grid, OutputFormat.Png, default);
        Assert.Equal(Steps.File, page.Request!.Original.Step);

        Images.WriteSolidJpeg(Path.Combine(_f.Library, "docs", "refcard.jpg"), 300, 400, 0, 0, 255);
        var sidecar = await Service.PrepareAsync(pdf, Grid, OutputFormat.Png, default);
        Assert.Equal(Steps.Sidecar, sidecar.Request!.Original.Step);
    }

    [Fact]
    public async Task AFolder_IsAnItem_ItsCoverIsFolderJpg_ElseItsFirstTracksArt()
    {
        var red = Images.WriteSolidJpeg(Path.Combine(_f.Root, "red.jpg"), 300, 300, 255, 0, 0);
        var album = Path.Combine(_f.Library, "album");
        MediaFixtures.Audio(Path.Combine(album, "02.mp3"));
        MediaFixtures.Audio(Path.Combine(album, "01.mp3"), red);

        var fromTrack = await Service.GetAsync(new FileItem(album, null), Grid, OutputFormat.Png, default);
        AssertColour(fromTrack.Bytes, 255, 0, 0);

        Images.WriteSolidJpeg(Path.Combine(album, "folder.jpg"), 300, 300, 0, 0, 255);
        var fromSidecar = await Service.GetAsync(new FileItem(album, null), Grid, OutputFormat.Png, default);
        AssertColour(fromSidecar.Bytes, 0, 0, 255);
    }

    [Fact]
    public async Task Ffmpeg_RunsOncePerFile_AcrossPresetsAndRestarts()
    {
        var cover = Images.WriteSolidJpeg(Path.Combine(_f.Root, "c.jpg"), 600, 600, 10, 200, 10);
        var book = MediaFixtures.Audio(Path.Combine(_f.Library, "b.m4b"), cover);

        foreach (var preset in PresetCatalog.Default.All)
        {
            Assert.NotEqual(ThumbnailOutcome.Failed, (await Service.GetAsync(book, preset, OutputFormat.WebP, default)).Outcome);
        }

        Assert.Equal(1, _f.Cache.Derived.Extractions);
        Assert.Single(_f.RenditionFiles(), f => f.EndsWith(".orig", StringComparison.Ordinal));

        var reopened = _f.Reopen();
        var again = await reopened.Service.GetAsync(book, Grid, OutputFormat.Jpeg, default);
        Assert.Equal(ThumbnailOutcome.Generated, again.Outcome);
        Assert.Equal(0, reopened.Derived.Extractions); // the original came from the store, named by the index
    }

    [Fact]
    public async Task TwoTracksWithOneCover_ShareTheirRenditions()
    {
        var cover = Images.WriteSolidJpeg(Path.Combine(_f.Root, "c.jpg"), 300, 300);
        var a = MediaFixtures.Audio(Path.Combine(_f.Library, "a.mp3"), cover, hz: 440);
        var b = MediaFixtures.Audio(Path.Combine(_f.Library, "b.mp3"), cover, hz: 880);

        var first = await Service.GetAsync(a, Grid, OutputFormat.WebP, default);
        var second = await Service.GetAsync(b, Grid, OutputFormat.WebP, default);

        Assert.Equal(first.Key, second.Key);
        Assert.Equal(ThumbnailOutcome.Hit, second.Outcome);
        Assert.Equal(1, Service.Generations);
    }

    [Fact]
    public async Task AnEvictedOriginal_IsExtractedAgain()
    {
        var cover = Images.WriteSolidJpeg(Path.Combine(_f.Root, "c.jpg"), 300, 300);
        var song = MediaFixtures.Audio(Path.Combine(_f.Library, "s.mp3"), cover);
        await Service.GetAsync(song, Grid, OutputFormat.WebP, default);
        File.Delete(_f.RenditionFiles().Single(f => f.EndsWith(".orig", StringComparison.Ordinal)));

        var other = await Service.GetAsync(song, Grid, OutputFormat.Png, default);

        Assert.Equal(ThumbnailOutcome.Generated, other.Outcome);
        Assert.Equal(2, _f.Cache.Derived.Extractions);
    }

    [Fact]
    public async Task ASidecarLinkingOutOfTheLibrary_IsNotRead()
    {
        var outside = Images.WriteSolidJpeg(Path.Combine(_f.Root, "secret.jpg"), 300, 300);
        var song = MediaFixtures.Audio(Path.Combine(_f.Library, "x", "song.mp3"));
        File.CreateSymbolicLink(Path.Combine(_f.Library, "x", "cover.jpg"), outside);
        var library = _f.Cache.Libraries["lib"];

        var result = await Service.GetAsync(new FileItem(song, library), Grid, OutputFormat.WebP, default);

        Assert.Equal(ThumbnailOutcome.Failed, result.Outcome);
        Assert.Contains("sidecar: no sidecar image", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_OfAnAudioFile_RemovesWhatWasMadeFromItsCover()
    {
        var cover = Images.WriteSolidJpeg(Path.Combine(_f.Root, "c.jpg"), 300, 300);
        MediaFixtures.Audio(Path.Combine(_f.Library, "p.mp3"), cover);
        await Service.GetAsync(Path.Combine(_f.Library, "p.mp3"), Grid, OutputFormat.WebP, default);
        Assert.Equal(2, _f.RenditionFiles().Length); // the rendition and the extracted cover

        var purged = await _f.Cache.Admin.PurgeItemAsync("lib", "p.mp3", default);

        Assert.Equal(2, purged!.Renditions);
        Assert.Empty(_f.RenditionFiles());
    }

    [Fact]
    public async Task Cleanup_AfterTheAudioFileIsDeleted_RemovesItsCoverAndRenditions()
    {
        var cover = Images.WriteSolidJpeg(Path.Combine(_f.Root, "c.jpg"), 300, 300);
        var keep = Images.WriteSolidJpeg(Path.Combine(_f.Library, "keep.jpg"), 300, 300, 1, 2, 3);
        var song = MediaFixtures.Audio(Path.Combine(_f.Library, "gone.mp3"), cover);
        await Service.GetAsync(song, Grid, OutputFormat.WebP, default);
        await Service.GetAsync(keep, Grid, OutputFormat.WebP, default);
        File.Delete(song);

        var report = await _f.Cache.Cleanup.RunAsync(new CleanupOptions(), default);

        Assert.Equal(2, report.DeletedSources.Count);
        Assert.Single(_f.RenditionFiles());
    }

    private static void AssertColour(byte[] encoded, int r, int g, int b)
    {
        var (_, _, pr, pg, pb) = MediaFixtures.Look(encoded);
        Assert.True(Math.Abs(pr - r) < 30 && Math.Abs(pg - g) < 30 && Math.Abs(pb - b) < 30, $"expected ~({r},{g},{b}), got ({pr:0},{pg:0},{pb:0})");
    }
}
