using System.Runtime.InteropServices;
using Tessera.Vips.Interop;

namespace Tessera.Vips;

/// <summary>Loads only some of libvips' modules. vips_init loads every module in its module folder
/// (&lt;libdir&gt;/vips-modules-X.Y; Debian 12: heif, jxl, magick, openslide, poppler), and each brings its libraries
/// (ImageMagick, openslide with the system SQLite, …): tens of milliseconds of every start, their memory, and their
/// is_a checks on every file opened. libvips takes its prefix from VIPSHOME, so a private folder whose
/// &lt;libdir&gt;/vips-modules-X.Y holds links to the wanted modules only makes vips_init load those. The folder is new
/// (mode 0700) and removed once vips_init has run; VIPSHOME (which vips_init sets to the prefix it used) is unset then,
/// so child processes choose again.
/// Nothing changes when VIPSHOME is set already (the user's choice), or when the module folder is not found.</summary>
internal static unsafe class VipsModules
{
    private const string PrefixVariable = "VIPSHOME";

    /// <summary>Runs <paramref name="init"/> (vips_init) so that it loads only the named modules ("heif" for
    /// vips-heif.so), or every module when <paramref name="modules"/> is null; returns what it returned.</summary>
    public static int Init(IReadOnlyCollection<string>? modules, Func<int> init)
    {
        var prefix = modules is not null && ModuleFolder() is { } system && ModuleInterop.GetEnv(PrefixVariable) == 0
            ? Prepare(system, modules)
            : null;
        if (prefix is null)
        {
            return init();
        }

        try
        {
            ModuleInterop.SetEnv(PrefixVariable, prefix, 1);
            return init();
        }
        finally
        {
            ModuleInterop.UnsetEnv(PrefixVariable);
            TryDelete(prefix);
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

    private static string? Prepare(string system, IReadOnlyCollection<string> modules)
    {
        string? prefix = null;
        try
        {
            prefix = Directory.CreateTempSubdirectory("tessera-vips-").FullName; // new, 0700, ours
            // libvips finds its modules in <prefix>/<libdir's last name> (8.14: Debian's x86_64-linux-gnu) or, in older
            // releases, <prefix>/lib: both hold the links.
            var libdir = Path.GetFileName(Path.GetDirectoryName(system)!);
            var targets = new[] { libdir, "lib" }.Distinct(StringComparer.Ordinal)
                .Select(name => Directory.CreateDirectory(Path.Combine(prefix, name, Path.GetFileName(system))).FullName).ToList();
            foreach (var module in modules)
            {
                var file = Path.Combine(system, $"vips-{module}.so");
                if (File.Exists(file))
                {
                    foreach (var target in targets)
                    {
                        File.CreateSymbolicLink(Path.Combine(target, Path.GetFileName(file)), file);
                    }
                }
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
            // A leftover folder of links in the temp folder; the next start makes its own.
        }
    }
}
