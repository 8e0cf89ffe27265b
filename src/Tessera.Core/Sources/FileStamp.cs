using System.Runtime.InteropServices;
using Tessera.Core.Sources.Interop;

namespace Tessera.Core.Sources;

/// <summary>What says a file changed without reading it: size and mtime, plus the inode change time and the inode
/// where statx(2) gives them. <c>cp -p</c> and <c>rsync -t</c> restore the mtime, but no one can set the ctime, and a
/// rename-into-place brings a new inode. Null ctime/inode means "not known" (no statx here).</summary>
public readonly record struct FileStamp(long Size, long MtimeTicks, long? CtimeNanoseconds, long? Inode)
{
    private const int Directory = 0x4000;
    private const int RegularFile = 0x8000;
    private const int TypeMask = 0xF000;
    private static bool _noStatx = !OperatingSystem.IsLinux();

    /// <summary>The stamp of the file at a path (symlinks followed), or null when there is none or it is a folder. A
    /// FIFO or device has size 0, as <see cref="FileInfo"/> reports it, so callers never open one.</summary>
    public static FileStamp? Of(string path)
    {
        if (!Volatile.Read(ref _noStatx))
        {
            try
            {
                if (LibC.Statx(LibC.AtFdCwd, path, 0, LibC.Wanted, out var buffer) == 0)
                {
                    return (buffer.Mode & TypeMask) switch
                    {
                        RegularFile => FromStatx(buffer),
                        Directory => null,
                        _ => FromStatx(buffer) with { Size = 0 },
                    };
                }

                if (Marshal.GetLastPInvokeError() is not 38 and not 1) // ENOSYS, EPERM (seccomp): fall back
                {
                    return null;
                }
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
            }

            Volatile.Write(ref _noStatx, true);
        }

        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks, null, null) : null;
    }

    /// <summary>ctime and inode folded into one value, stable across restarts (negative entries are stored).</summary>
    public long ChangeMix => unchecked((CtimeNanoseconds ?? 0) * (long)0x9E3779B97F4A7C15 ^ (Inode ?? 0));

    private static FileStamp FromStatx(in StatxBuffer b)
    {
        const uint Ctime = 0x80;
        const uint Ino = 0x100;
        var mtime = DateTime.UnixEpoch.Ticks + (b.MtimeSeconds * TimeSpan.TicksPerSecond) + (b.MtimeNanoseconds / 100);
        long? ctime = (b.Mask & Ctime) != 0 ? (b.CtimeSeconds * 1_000_000_000) + b.CtimeNanoseconds : null;
        long? inode = (b.Mask & Ino) != 0 ? unchecked((long)b.Inode) : null;
        return new FileStamp(unchecked((long)b.Size), mtime, ctime, inode);
    }
}
