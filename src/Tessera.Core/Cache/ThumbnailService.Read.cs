using Tessera.Core.Engine;
using Tessera.Core.Index;
using Tessera.Core.Presets;
using Tessera.Core.Storage;

namespace Tessera.Core.Cache;

/// <summary>Reading renditions back: memory, then the store (disk, or disk then S3), every store read checked against the index.</summary>
public sealed partial class ThumbnailService
{
    /// <summary>Memory, else disk. Bytes from disk are checked against the index (length and SHA-256) before
    /// they are served or kept in memory: a damaged or foreign file is deleted and counts as a miss.</summary>
    private async Task<ThumbnailResult?> TryReadAsync(string key, OutputFormat format, bool fileOk = false)
    {
        if (hot.TryGet(key, out var bytes))
        {
            access.Touch(key);
            return new ThumbnailResult(ThumbnailOutcome.Hit, key, format, bytes);
        }

        var ext = Formats.Extension(format);
        var path = store.LocalPath(key, ext);
        if (fileOk && path is not null && _verified.Check(key, path) is { } length)
        {
            access.Touch(key);
            return new ThumbnailResult(ThumbnailOutcome.Hit, key, format, []) { File = new RenditionFile(path, length) };
        }

        var before = path is null ? null : Sources.FileStamp.Of(path);
        try
        {
            // Eviction may delete the file at any moment: gone before the open is a miss (ReadAll gives null);
            // gone after it, the open handle still reads the whole file.
            var read = await store.ReadAllAsync(key, ext, CancellationToken.None).ConfigureAwait(false);
            if (read is not { Length: > 0 })
            {
                return null;
            }

            bytes = read;
        }
        catch (IOException e)
        {
            Log.ReadFailed(logger, key, e.Message);
            return null;
        }

        if (!await IsIntactAsync(key, format, bytes).ConfigureAwait(false))
        {
            _verified.Forget(key);
            store.Delete(key, ext);
            return null;
        }

        if (path is not null)
        {
            _verified.Remember(key, path, before, bytes.Length);
        }

        hot.Put(key, bytes);
        access.Touch(key);
        return new ThumbnailResult(ThumbnailOutcome.Hit, key, format, bytes);
    }

    private async Task<bool> IsIntactAsync(string key, OutputFormat format, byte[] bytes)
    {
        RenditionCheck? check;
        try
        {
            check = await index.GetRenditionCheckAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IndexException)
        {
            check = null; // the index is unreadable: fall back to the decode check below
        }

        if (check is { Checksum: { } sum })
        {
            var ok = VerifiedRead.Mismatch(bytes, check.Bytes, sum) is null;
            if (!ok)
            {
                Log.Corrupt(logger, key, check.Bytes, bytes.Length);
            }

            return ok;
        }

        // No row, or one rebuilt from files without a checksum: serve it only if it is a whole image of the
        // expected format (a truncated file fails here), and record its checksum for next time.
        try
        {
            if (VipsEngine.FormatOf(VipsEngine.Probe(bytes)) != format)
            {
                return false;
            }

            VipsEngine.DecodeSample(bytes);
        }
        catch (EngineException)
        {
            Log.Corrupt(logger, key, check?.Bytes ?? -1, bytes.Length);
            return false;
        }

        try
        {
            await index.RecordRenditionAsync(new RenditionRecord(key, Formats.Extension(format), bytes.Length, null, null, 0, 0, null) { Checksum = Checksum(bytes) },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IndexException or IOException)
        {
            Log.StoreFailed(logger, key, e.Message);
        }

        return true;
    }

    /// <summary>Forgets that a rendition file was checked (null: every file), so its next read is checked against the index again.</summary>
    internal void ForgetVerified(string? key)
    {
        if (key is null)
        {
            _verified.Clear();
        }
        else
        {
            _verified.Forget(key);
        }
    }

    internal static string Checksum(byte[] bytes) => VerifiedRead.Sha256(bytes);
}
