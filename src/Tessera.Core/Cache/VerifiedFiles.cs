using System.Collections.Concurrent;
using Tessera.Core.Sources;

namespace Tessera.Core.Cache;

/// <summary>Rendition files this process has read whole and checked (length and SHA-256, or a decode), with the stat
/// they had then. While a file keeps that stat (device, inode, ctime, size, mtime), it is the bytes that were checked:
/// a rename over it brings a new inode, any write a new ctime. So a repeat disk hit is one stat and the kernel copying
/// the file to the socket, not a read, a hash and an index lookup. Bit rot under an unchanged stat is
/// <c>tessera verify</c>'s to find, as it is for renditions not served since start.</summary>
internal sealed class VerifiedFiles
{
    private const int Limit = 200_000;
    private readonly ConcurrentDictionary<string, FileStamp> _files = new(StringComparer.Ordinal);

    /// <summary>The file's length when it is still the file that was checked, else null (read and check it again).</summary>
    public long? Check(string key, string path) =>
        _files.TryGetValue(key, out var known) && FileStamp.Of(path) is { } now && known.IsSameVersion(now) && known.MtimeTicks == now.MtimeTicks
            ? now.Size
            : null;

    /// <summary>Remembers a file checked whole: <paramref name="before"/> is its stat before it was opened; it is
    /// remembered only when it still has that stat and the length that was read.</summary>
    public void Remember(string key, string path, FileStamp? before, long length)
    {
        if (before is not { } b || FileStamp.Of(path) is not { } after || !b.IsSameVersion(after) || b.MtimeTicks != after.MtimeTicks || after.Size != length)
        {
            return;
        }

        if (_files.Count >= Limit)
        {
            _files.Clear();
        }

        _files[key] = after;
    }

    public void Forget(string key) => _files.TryRemove(key, out _);

    public void Clear() => _files.Clear();
}
