using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>One-time libvips start-up and process-wide settings.</summary>
public static class VipsRuntime
{
    private static readonly Lock Gate = new();
    private static bool _started;

    /// <summary>The loaders Tessera allows although libvips marks them untrusted. PDF and JXL only for files
    /// from configured local libraries; remote bytes go through buffer loaders, which stay blocked.
    /// SVG only from a buffer: Tessera's SvgSanitizer reads library SVG/SVGZ files and hands libvips the
    /// sanitised document, so only sanitised SVG reaches the loader. The SVG file loader stays blocked, so a
    /// file that skipped the sanitiser fails instead of letting librsvg follow its references.</summary>
    private static readonly string[] TrustedLoaders =
    [
        "VipsForeignLoadPdfFile", "VipsForeignLoadJxlFile", "VipsForeignLoadSvgBuffer",
    ];

    /// <summary>Starts libvips once: operation cache off (every request is a different image), one thread
    /// inside each image (Tessera parallelises across images), untrusted loaders blocked.</summary>
    public static void EnsureStarted()
    {
        if (Volatile.Read(ref _started))
        {
            return;
        }

        lock (Gate)
        {
            if (_started)
            {
                return;
            }

            if (LibVips.Init("tessera") != 0)
            {
                throw VipsException.FromErrorBuffer("vips_init failed");
            }

            if (Environment.GetEnvironmentVariable("TESSERA_VIPS_LEAK") == "1")
            {
                LibVips.LeakSet(1);
            }

            LibVips.CacheSetMax(0);
            LibVips.CacheSetMaxMem(0);
            LibVips.CacheSetMaxFiles(0);
            LibVips.ConcurrencySet(1);
            LibVips.BlockUntrustedSet(1);
            foreach (var loader in TrustedLoaders)
            {
                LibVips.OperationBlockSet(loader, 0);
            }

            Volatile.Write(ref _started, true);
        }
    }

    /// <summary>The libvips version, e.g. "8.14.1".</summary>
    public static string Version
    {
        get
        {
            EnsureStarted();
            return $"{LibVips.Version(0)}.{LibVips.Version(1)}.{LibVips.Version(2)}";
        }
    }

    /// <summary>Sets how many threads libvips uses inside one image (default 1).</summary>
    public static void SetConcurrency(int threads)
    {
        EnsureStarted();
        LibVips.ConcurrencySet(Math.Max(1, threads));
    }

    /// <summary>Limits libvips' cache of built operations, which lets an identical call reuse an earlier
    /// result; all zero turns it off.</summary>
    public static void SetOperationCache(int maxOperations, long maxBytes, int maxFiles)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOperations);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFiles);
        EnsureStarted();
        LibVips.CacheSetMax(maxOperations);
        LibVips.CacheSetMaxMem((nuint)maxBytes);
        LibVips.CacheSetMaxFiles(maxFiles);
    }

    /// <summary>Blocks or unblocks every operation libvips marks untrusted (loaders such as PDF, SVG, JXL,
    /// ImageMagick). Single ones can then be unblocked with <see cref="SetOperationBlocked"/>.</summary>
    public static void SetUntrustedBlocked(bool blocked)
    {
        EnsureStarted();
        LibVips.BlockUntrustedSet(blocked ? 1 : 0);
    }

    /// <summary>Blocks or unblocks a loader or any other operation class by name, e.g. "VipsForeignLoadPdfFile",
    /// with its subclasses. A blocked operation fails when it is built.</summary>
    public static void SetOperationBlocked(string operationClass, bool blocked)
    {
        EnsureStarted();
        LibVips.OperationBlockSet(operationClass, blocked ? 1 : 0);
    }
}
