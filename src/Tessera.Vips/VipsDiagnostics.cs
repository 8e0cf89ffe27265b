using Tessera.Vips.Interop;
using System.Runtime.InteropServices;

namespace Tessera.Vips;

/// <summary>Counters for leak checks: live libvips objects, tracked memory and open files.</summary>
public static unsafe class VipsDiagnostics
{
    [ThreadStatic]
    private static int _count;

    /// <summary>How many VipsObjects are alive now (images, operations, sources).</summary>
    public static int LiveObjects()
    {
        VipsRuntime.EnsureStarted();
        _count = 0;
        LibVips.ObjectMap(&CountOne, 0, 0);
        return _count;
    }

    /// <summary>Bytes libvips has allocated through its tracked allocator (pixel buffers).</summary>
    public static long TrackedBytes => (long)LibVips.TrackedGetMem();

    /// <summary>The most bytes libvips' tracked allocator has held at once since start.</summary>
    public static long TrackedBytesHighwater => (long)LibVips.TrackedGetMemHighwater();

    /// <summary>Files libvips holds open.</summary>
    public static int TrackedFiles => LibVips.TrackedGetFiles();

    [UnmanagedCallersOnly]
    private static nint CountOne(nint obj, nint a, nint b)
    {
        _count++;
        return 0;
    }
}
