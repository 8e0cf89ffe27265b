using System.Runtime.InteropServices;
using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>Loads some of libvips' modules, and only when an image needs them. vips_init loads every module in its
/// module folder (&lt;libdir&gt;/vips-modules-X.Y; Debian 12: heif, jxl, magick, openslide, poppler), and each brings its
/// libraries (libheif, libjxl, poppler, ImageMagick, openslide with the system SQLite, …): tens of milliseconds of every
/// start, their memory, and their format checks on every file opened. libvips takes its prefix from VIPSHOME, so
/// vips_init runs with a private one whose module folder is empty (new, mode 0700, removed once vips_init has run;
/// VIPSHOME, which vips_init sets to the prefix it used, is unset then, so child processes choose again). The named
/// modules are opened later (g_module_open: each registers its loaders and savers as libvips' own loading does), the
/// first time something needs a loader that JPEG, PNG or WebP content cannot settle: a lookup over other content, or an
/// operation name libvips does not know yet. A library of JPEGs never loads libheif, libjxl or poppler.
/// <para>Safety: a module's untrusted loaders (PDF from bytes, JXL, …) arrive unblocked; the host's block settings are
/// replayed once they are registered (<see cref="VipsRuntime"/> keeps them). A lookup that can run while the modules
/// load (over JPEG, PNG or WebP content) holds a read lock that the load excludes, so it never sees a loader before
/// its block is set. Once loaded, nothing locks again.</para>
/// Nothing changes when VIPSHOME is set already (the user's choice), or when the module folder is not found: libvips
/// loads every module at start, as it would by itself.</summary>
internal static unsafe class VipsModules
{
    private const string PrefixVariable = "VIPSHOME";
    private static readonly ReaderWriterLockSlim Loading = new(LockRecursionPolicy.NoRecursion);
    private static string[] _deferred = [];
    private static volatile bool _loaded = true; // nothing deferred until Init defers something

    /// <summary>True until the deferred modules are loaded (false when none were deferred).</summary>
    public static bool Deferred => !_loaded;

    /// <summary>Runs <paramref name="init"/> (vips_init) so that it loads no module, and defers the named ones ("heif"
    /// for vips-heif.so) to <see cref="EnsureLoaded"/>; with <paramref name="modules"/> null, libvips loads every module
    /// at start. Returns what <paramref name="init"/> returned.</summary>
    public static int Init(IReadOnlyCollection<string>? modules, Func<int> init)
    {
        var system = modules is not null && ModuleInterop.GetEnv(PrefixVariable) == 0 ? ModuleFolder() : null;
        var prefix = system is not null ? Prepare(system) : null;
        if (prefix is null)
        {
            return init();
        }

        try
        {
            ModuleInterop.SetEnv(PrefixVariable, prefix, 1);
            var result = init();
            _deferred = [.. modules!.Select(m => Path.Combine(system!, $"vips-{m}.so")).Where(File.Exists)];
            _loaded = _deferred.Length == 0;
            return result;
        }
        finally
        {
            ModuleInterop.UnsetEnv(PrefixVariable);
            TryDelete(prefix);
        }
    }

    /// <summary>Loads the deferred modules (once), then has <paramref name="registered"/> set the host's blocks on
    /// what they brought, all while no lookup runs. A module that fails to open is reported through
    /// <see cref="VipsLog"/>; its formats stay unknown, as when libvips' own loading fails.</summary>
    public static void EnsureLoaded(Action registered)
    {
        if (_loaded)
        {
            return;
        }

        Loading.EnterWriteLock();
        try
        {
            if (_loaded)
            {
                return;
            }

            foreach (var file in _deferred)
            {
                if (ModuleInterop.ModuleOpen(file, ModuleInterop.BindLazy) == 0)
                {
                    VipsLog.Report(VipsLogLevel.Warning, $"unable to load \"{file}\" -- {Marshal.PtrToStringUTF8(ModuleInterop.ModuleError())}");
                }
            }

            registered();
            _loaded = true;
        }
        finally
        {
            Loading.ExitWriteLock();
        }
    }

    /// <summary>A scope for a loader lookup over content known to be JPEG, PNG or WebP, which no deferred module reads:
    /// it waits for a module load under way and keeps the next one out until disposed. Free once the modules are loaded.</summary>
    public static LookupScope Lookup() => new(!_loaded && EnterRead());

    private static bool EnterRead()
    {
        Loading.EnterReadLock();
        return true;
    }

    /// <summary>See <see cref="Lookup"/>.</summary>
    public readonly ref struct LookupScope(bool held)
    {
        public void Dispose()
        {
            if (held)
            {
                Loading.ExitReadLock();
            }
        }
    }

    /// <summary>The folder libvips loads its modules from when VIPSHOME is unset: next to the libvips file this
    /// process loaded. Null when it cannot be told.</summary>
    private static string? ModuleFolder()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Libraries.Vips, out var library)
            || !NativeLibrary.TryGetExport(library, "vips_init", out var address))
        {
            return null;
        }

        ModuleInterop.DlInfo info;
        if (ModuleInterop.DlAddr(address, &info) == 0 || Marshal.PtrToStringUTF8(info.FileName) is not { Length: > 0 } file
            || Path.GetDirectoryName(file) is not { } directory)
        {
            return null;
        }

        var folder = Path.Combine(directory, $"vips-modules-{LibVips.Version(0)}.{LibVips.Version(1)}");
        return Directory.Exists(folder) ? folder : null;
    }

    /// <summary>A private prefix whose module folder is empty.</summary>
    private static string? Prepare(string system)
    {
        string? prefix = null;
        try
        {
            prefix = Directory.CreateTempSubdirectory("tessera-vips-").FullName; // new, 0700, ours
            // libvips looks for its modules in <prefix>/<libdir's last name> (8.14: Debian's x86_64-linux-gnu) or, in
            // older releases, <prefix>/lib: both are there, empty.
            var libdir = Path.GetFileName(Path.GetDirectoryName(system)!);
            foreach (var name in new[] { libdir, "lib" }.Distinct(StringComparer.Ordinal))
            {
                Directory.CreateDirectory(Path.Combine(prefix, name, Path.GetFileName(system)));
            }

            return prefix;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (prefix is not null)
            {
                TryDelete(prefix);
            }

            return null; // no private folder: libvips loads every module, as it would by itself
        }
    }

    private static void TryDelete(string prefix)
    {
        try
        {
            Directory.Delete(prefix, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover empty folder in the temp folder; the next start makes its own.
        }
    }
}
