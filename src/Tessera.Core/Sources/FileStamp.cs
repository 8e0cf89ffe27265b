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
    public static FileStamp? Of(string path) => Probe(path, out _);

    /// <summary>As <see cref="Of"/>, and whether the path is a folder: one stat tells a file, a folder and nothing apart.</summary>
    internal static FileStamp? Probe(string path, out bool isFolder)
    {
        isFolder = false;
        if (!Volatile.Read(ref _noStatx))
        {
            try
            {
                if (LibC.Statx(LibC.AtFdCwd, path, 0, LibC.Wanted, out var buffer) == 0)
                {
                    return (buffer.Mode & TypeMask) switch
                    {
                        RegularFile => FromStatx(buffer),
                        Directory => Folder(out isFolder),
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
        if (info.Exists)
        {
            return new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks, null, null);
        }

        isFolder = System.IO.Directory.Exists(path);
        return null;
    }

    /// <summary>The device the file is on (major and minor folded), where statx(2) gives it: with the inode and the
    /// ctime, it names one version of one file however the path that led to it was spelled.</summary>
    public long? Device { get; init; }

    /// <summary>The same file, not changed since: device, inode and ctime all known and equal (a rename or an edit
    /// changes the ctime, a new file has a new one).</summary>
    public bool IsSameVersion(FileStamp other) =>
        Inode is not null && CtimeNanoseconds is not null && Device is not null
        && Inode == other.Inode && CtimeNanoseconds == other.CtimeNanoseconds && Device == other.Device && Size == other.Size;

    private static FileStamp? Folder(out bool isFolder)
    {
        isFolder = true;
        return null;
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
        return new FileStamp(unchecked((long)b.Size), mtime, ctime, inode) { Device = ((long)b.DevMajor << 32) | b.DevMinor };
    }
}
