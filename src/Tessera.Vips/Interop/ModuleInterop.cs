using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>What choosing libvips' modules needs: where the loaded libvips lives (dladdr), the environment libvips
/// reads its prefix from (g_setenv, so that vips_init's g_getenv sees it; .NET's own environment is a managed copy), and
/// GModule, with which libvips opens a module (g_module_open runs the module's g_module_check_init, which registers its
/// operations and makes it resident).</summary>
internal static unsafe partial class ModuleInterop
{
    [LibraryImport("libc.so.6", EntryPoint = "dladdr")]
    public static partial int DlAddr(nint address, DlInfo* info);

    [LibraryImport(Libraries.GLib, EntryPoint = "g_setenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport(Libraries.GLib, EntryPoint = "g_unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void UnsetEnv(string name);

    [LibraryImport(Libraries.GLib, EntryPoint = "g_getenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint GetEnv(string name);

    /// <summary>G_MODULE_BIND_LAZY, as libvips opens its modules.</summary>
    public const int BindLazy = 1;

    [LibraryImport(Libraries.GModule, EntryPoint = "g_module_open", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ModuleOpen(string fileName, int flags); // the GModule, or 0 (g_module_error says why)

    [LibraryImport(Libraries.GModule, EntryPoint = "g_module_error")]
    public static partial nint ModuleError(); // borrowed, per thread

    [StructLayout(LayoutKind.Sequential)]
    public struct DlInfo
    {
        public nint FileName;
        public nint Base;
        public nint SymbolName;
        public nint SymbolAddress;
    }
}
