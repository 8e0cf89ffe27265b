using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>One-time libvips start-up and the process-wide switches. The binding decides none of them: libvips'
/// defaults hold until the host sets its own (operation cache, threads per image, which loaders may run).</summary>
public static class VipsRuntime
{
    private static readonly Lock Gate = new();
    private static bool _started;
    private static readonly List<(string? Operation, bool Blocked)> Blocks = [];
    private static string[]? _onlyModules;

    /// <summary>Starts libvips once, with its defaults.</summary>
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

            if (VipsModules.Init(_onlyModules, static () => LibVips.Init("tessera")) != 0)
            {
                throw VipsException.FromErrorBuffer("vips_init failed");
            }

            if (Environment.GetEnvironmentVariable("TESSERA_VIPS_LEAK") == "1")
            {
                LibVips.LeakSet(1);
            }

            Volatile.Write(ref _started, true);
        }
    }

    /// <summary>Makes libvips use only these of its modules ("heif", "jxl", "poppler", …: vips-NAME.so in its module
    /// folder), loaded the first time an image needs a loader that JPEG, PNG or WebP cannot settle, instead of every
    /// module at start; see <see cref="VipsModules"/>. Call it before libvips starts; later calls change nothing. A
    /// process that needs another module's loaders must name it here.</summary>
    public static void LoadOnlyModules(params string[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        lock (Gate)
        {
            _onlyModules ??= [.. modules];
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

    /// <summary>Sets how many threads libvips uses inside one image.</summary>
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

    /// <summary>Turns libvips' run-time generated SIMD code (liborc, in libvips 8.14) on or off.</summary>
    public static void SetVectorEnabled(bool enabled)
    {
        EnsureStarted();
        LibVips.VectorSetEnabled(enabled ? 1 : 0);
    }

    /// <summary>Whether libvips runs its generated SIMD code now.</summary>
    public static bool VectorEnabled
    {
        get
        {
            EnsureStarted();
            return LibVips.VectorIsEnabled() != 0;
        }
    }

    /// <summary>Blocks or unblocks every operation libvips marks untrusted (loaders such as PDF, SVG, JXL,
    /// ImageMagick). Single ones can then be unblocked with <see cref="SetOperationBlocked"/>. A module loaded later
    /// (<see cref="LoadOnlyModules"/>) gets the same blocks: they are replayed, in order, once it has registered its
    /// operations.</summary>
    public static void SetUntrustedBlocked(bool blocked) => Block(null, blocked);

    /// <summary>Blocks or unblocks a loader or any other operation class by name, e.g. "VipsForeignLoadPdfFile",
    /// with its subclasses. A blocked operation fails when it is built.</summary>
    public static void SetOperationBlocked(string operationClass, bool blocked)
    {
        ArgumentException.ThrowIfNullOrEmpty(operationClass);
        Block(operationClass, blocked);
    }

    /// <summary>Loads the modules <see cref="LoadOnlyModules"/> deferred, if they are not loaded yet, and blocks
    /// their operations as the host asked.</summary>
    internal static void EnsureModules()
    {
        EnsureStarted();
        VipsModules.EnsureLoaded(static () =>
        {
            lock (Gate)
            {
                foreach (var (operation, blocked) in Blocks)
                {
                    Apply(operation, blocked);
                }
            }
        });
    }

    private static void Block(string? operation, bool blocked)
    {
        EnsureStarted();
        lock (Gate)
        {
            Apply(operation, blocked);
            // A later setting of the same name covers the same classes, so only the last one of each is replayed.
            Blocks.RemoveAll(b => b.Operation == operation);
            Blocks.Add((operation, blocked));
        }
    }

    private static void Apply(string? operation, bool blocked)
    {
        if (operation is null)
        {
            LibVips.BlockUntrustedSet(blocked ? 1 : 0);
        }
        else
        {
            LibVips.OperationBlockSet(operation, blocked ? 1 : 0);
        }
    }
}
