using System.Security.Cryptography;
using Tessera.Core.Cache;
using Tessera.Core.Presets;
using Tessera.Core.Sources;
using Tessera.Core.Storage;
using Tessera.Tests.Support;

namespace Tessera.Tests.Sources;

/// <summary>Files above Sources:SampleAbove are identified from 16 samples of 64 KiB (1 MiB read), never read whole;
/// smaller files keep the SHA-256 of every byte, so their rendition keys do not change.</summary>
public sealed class SampledContentIdTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private static readonly Preset Grid = new("grid", 200, 200);
    private readonly CacheFixture _f = new(o => o.Fingerprints.SampleAboveBytes = 2 * MiB);

    public void Dispose() => _f.Dispose();

    private Fingerprinter Fingerprints => _f.Cache.Get<Fingerprinter>();

    /// <summary>A sparse file of <paramref name="size"/> bytes with a few marked bytes at its start and end.</summary>
    private string Sparse(string name, long size)
    {
        var path = Path.Combine(_f.Library, name);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        stream.SetLength(size);
        stream.Write("head"u8);
        stream.Position = size - 4;
        stream.Write("tail"u8);
        return path;
    }

    private static void Poke(string path, long offset)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        var b = stream.ReadByte();
        stream.Position = offset;
        stream.WriteByte((byte)(b ^ 0x5A));
    }

    [Fact]
    public async Task AFileAboveTheThreshold_IsIdentifiedFromSamples_NotReadWhole()
    {
        var path = Sparse("film.mkv", 512 * MiB);

        var fp = await Fingerprints.GetAsync(path, default);

        Assert.StartsWith(SampledContentId.Prefix, fp.ContentHash, StringComparison.Ordinal);
        Assert.Equal(SampledContentId.Prefix.Length + 64, fp.ContentHash.Length);
        Assert.Equal(SampledContentId.Samples * (long)SampledContentId.SampleBytes, Fingerprints.BytesRead); // 1 MiB of 512
        Assert.Equal(fp.ContentHash, (await SampledContentId.ComputeAsync(path, default)).Id); // stable

        // Known and unchanged: not read again, in this process or the next.
        Assert.Equal(fp, await Fingerprints.GetAsync(path, default));
        Assert.Equal(MiB, Fingerprints.BytesRead);
        var reopened = _f.Reopen();
        Assert.Equal(fp.ContentHash, (await reopened.Get<Fingerprinter>().GetAsync(path, default)).ContentHash);
        Assert.Equal(0, reopened.Get<Fingerprinter>().BytesRead);
    }

    [Fact]
    public async Task ABytePastEverySample_IsNotSeen_ButTheHeadTailAMiddleSampleAndTheSizeAre()
    {
        var size = 64 * MiB;
        var path = Sparse("film.mp4", size);
        var original = (await SampledContentId.ComputeAsync(path, default)).Id;

        // Between samples 7 and 8: the accepted trade-off (the stamp, not the id, catches such an edit).
        Poke(path, SampledContentId.Offset(size, SampledContentId.SampleBytes, 7) + SampledContentId.SampleBytes + 4096);
        Assert.Equal(original, (await SampledContentId.ComputeAsync(path, default)).Id);

        var seen = new HashSet<string>(StringComparer.Ordinal) { original };
        foreach (var offset in new[] { 1, size - 2, SampledContentId.Offset(size, SampledContentId.SampleBytes, 7) + 100 })
        {
            Poke(path, offset);
            Assert.True(seen.Add((await SampledContentId.ComputeAsync(path, default)).Id), $"a change at {offset} left the id as it was");
        }

        await using (var grow = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            grow.SetLength(size + 1);
        }

        Assert.True(seen.Add((await SampledContentId.ComputeAsync(path, default)).Id), "a longer file kept its id");
    }

    [Fact]
    public async Task AFileAtOrBelowTheThreshold_KeepsItsFullSha256_AndItsRenditionKey()
    {
        var jpeg = Images.SolidJpeg(320, 240, 200, 40, 40);
        Array.Resize(ref jpeg, (int)(2 * MiB)); // exactly the threshold: decoders ignore bytes after EOI
        var path = Path.Combine(_f.Library, "cover.jpg");
        await File.WriteAllBytesAsync(path, jpeg);
        var full = Convert.ToHexStringLower(SHA256.HashData(jpeg));

        var fp = await Fingerprints.GetAsync(path, default);
        var served = await _f.Cache.Service.GetAsync(path, Grid, OutputFormat.WebP, default);

        Assert.Equal(full, fp.ContentHash);
        Assert.Equal(2 * MiB, Fingerprints.BytesRead);
        Assert.Equal(RenditionKey.Compute(full, Grid.CanonicalString(OutputFormat.WebP)).Value, served.Key); // the key it had before
    }

    [Theory]
    [InlineData(1L * 1024 * 1024, true)]
    [InlineData(8L * 1024 * 1024, false)]
    [InlineData(null, false)]
    public async Task TheThreshold_DecidesWhichFilesAreSampled(long? sampleAbove, bool sampled)
    {
        using var f = new CacheFixture(o => o.Fingerprints.SampleAboveBytes = sampleAbove);
        var path = Path.Combine(f.Library, "clip.bin");
        var bytes = new byte[4 * MiB];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);
        var fingerprints = f.Cache.Get<Fingerprinter>();

        var id = (await fingerprints.GetAsync(path, default)).ContentHash;

        Assert.Equal(sampled, id.StartsWith(SampledContentId.Prefix, StringComparison.Ordinal));
        Assert.Equal(sampled ? MiB : 4 * MiB, fingerprints.BytesRead);
        Assert.Equal(sampled ? (await SampledContentId.ComputeAsync(path, default)).Id : Convert.ToHexStringLower(SHA256.HashData(bytes)), id);
    }

    [Fact]
    public async Task ALargeFileHashedWholeBeforeTheUpgrade_KeepsThatHash_UntilItChanges()
    {
        var path = Sparse("old.mkv", 16 * MiB);
        var stamp = FileStamp.Of(path)!.Value;
        var whole = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path)));
        // The row an older Tessera wrote: the full hash, with the file's stamp.
        await _f.Cache.Index.Fingerprints.PutFingerprintAsync(
            new Tessera.Core.Index.Fingerprint(path, stamp.Size, stamp.MtimeTicks, whole, stamp.CtimeNanoseconds, stamp.Inode), default);
        var reopened = _f.Reopen();
        var fingerprints = reopened.Get<Fingerprinter>();

        Assert.Equal(whole, (await fingerprints.GetAsync(path, default)).ContentHash);
        Assert.Equal(0, fingerprints.BytesRead);

        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-5)); // an edit: now it is sampled
        Assert.StartsWith(SampledContentId.Prefix, (await fingerprints.GetAsync(path, default)).ContentHash, StringComparison.Ordinal);
        Assert.Equal(MiB, fingerprints.BytesRead);
    }

    [Fact]
    public async Task AFrameFromTwoLargeVideos_IsNamedByItsOwnBytes_SoTheyShareTheRendition()
    {
        // One short real video, padded with zeros (sparse) to two sizes: ffmpeg reads the frame from the start.
        var clip = MediaFixtures.Make(Path.Combine(_f.Root, "clip.mp4"),
            "-f", "lavfi", "-i", "color=c=green:s=96x64:r=25:d=3", "-c:v", "mpeg4", "-movflags", "+faststart");
        var a = Path.Combine(_f.Library, "a.mp4");
        var b = Path.Combine(_f.Library, "b.mp4");
        foreach (var (path, size) in new[] { (a, 24 * MiB), (b, 40 * MiB) })
        {
            File.Copy(clip, path);
            await using var pad = new FileStream(path, FileMode.Open, FileAccess.Write);
            pad.SetLength(size);
        }

        var first = await _f.Cache.Service.GetAsync(a, Grid, OutputFormat.WebP, default);
        var second = await _f.Cache.Service.GetAsync(b, Grid, OutputFormat.WebP, default);

        var (idA, idB) = ((await Fingerprints.GetAsync(a, default)).ContentHash, (await Fingerprints.GetAsync(b, default)).ContentHash);
        Assert.True(idA.StartsWith(SampledContentId.Prefix, StringComparison.Ordinal) && idA != idB, $"{idA} / {idB}");
        Assert.Equal(2 * MiB, Fingerprints.BytesRead);
        Assert.Equal((ThumbnailOutcome.Generated, ThumbnailOutcome.Hit), (first.Outcome, second.Outcome));
        var frame = await MediaFixtures.Extractor().VideoFrameAsync(a, CancellationToken.None);
        Assert.Equal(RenditionKey.Compute(OriginalStore.Hash(frame), Grid.CanonicalString(OutputFormat.WebP)).Value, second.Key);
        Assert.Equal(first.Key, second.Key);
    }
}
