namespace Tessera.Core.Storage;

/// <summary>Renditions as files, sharded renditions/ab/cd/&lt;key&gt;.&lt;ext&gt;, written temp → fsync → rename.</summary>
public sealed class DiskRenditionStore(DataFolder folder) : IRenditionStore
{
    public string PathOf(string key, string extension)
    {
        RenditionKeyFormat.Check(key);
        return Path.Combine(folder.RenditionsPath, key[..2], key[2..4], $"{key}.{extension}");
    }

    public string? LocalPath(string key, string extension) => PathOf(key, extension);

    public Stream? OpenRead(string key, string extension)
    {
        try
        {
            return new FileStream(PathOf(key, extension), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    public bool Exists(string key, string extension) => File.Exists(PathOf(key, extension));

    public async Task WriteAsync(string key, string extension, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var final = PathOf(key, extension);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var temp = folder.NewTempPath($"{key}.{Guid.NewGuid():N}.{extension}");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, final, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public void Delete(string key, string extension)
    {
        try
        {
            File.Delete(PathOf(key, extension));
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }

    public void DropLocalCopy(string key, string extension) => Delete(key, extension);

    public IEnumerable<StoredRendition> Enumerate()
    {
        if (!Directory.Exists(folder.RenditionsPath))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(folder.RenditionsPath, "*.*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(path);
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || !RenditionKeyFormat.IsValid(name[..dot]))
            {
                continue;
            }

            var info = new FileInfo(path);
            yield return new StoredRendition(name[..dot], name[(dot + 1)..], info.Length, info.LastWriteTimeUtc);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The sweep at next start removes it.
        }
    }
}
