using System.Runtime.InteropServices;

namespace Tessera.Core.Sources.Interop;

/// <summary>glibc imports .NET does not expose. statx(2) is not variadic, and struct statx has one layout on
/// every architecture (256 bytes), so one declaration serves x64 and arm64 alike.</summary>
internal static partial class LibC
{
    public const string Library = "libc";

    public const int AtFdCwd = -100;

    /// <summary>STATX_MTIME | STATX_CTIME | STATX_INO | STATX_SIZE | STATX_TYPE.</summary>
    public const uint Wanted = 0x40 | 0x80 | 0x100 | 0x200 | 0x1;

    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer); // buffer filled by the kernel, nothing to free
}

/// <summary>struct statx, the fields Tessera reads at their fixed offsets (include/uapi/linux/stat.h).</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct StatxBuffer
{
    [FieldOffset(0)] public uint Mask;
    [FieldOffset(28)] public ushort Mode;
    [FieldOffset(32)] public ulong Inode;
    [FieldOffset(40)] public ulong Size;
    [FieldOffset(96)] public long CtimeSeconds;
    [FieldOffset(104)] public uint CtimeNanoseconds;
    [FieldOffset(112)] public long MtimeSeconds;
    [FieldOffset(120)] public uint MtimeNanoseconds;
    [FieldOffset(136)] public uint DevMajor;
    [FieldOffset(140)] public uint DevMinor;
}
