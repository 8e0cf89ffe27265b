using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>GLib's message log (g_log), through which libvips and GObject report warnings. Non-variadic imports only.</summary>
internal static unsafe partial class GLog
{
    /// <summary>G_LOG_LEVEL_ERROR … G_LOG_LEVEL_DEBUG: GLogLevelFlags without the recursion and fatal flags.</summary>
    public const int LevelMask = ~0b11;

    /// <summary>Handles every domain that has no handler of its own (libvips sets none). The message and
    /// domain are borrowed for the duration of the call.</summary>
    [LibraryImport(Libraries.GLib, EntryPoint = "g_log_set_default_handler")]
    public static partial nint SetDefaultHandler(delegate* unmanaged<byte*, int, byte*, nint, void> logFunc, nint userData); // returns the previous handler, not owned

    [LibraryImport(Libraries.GLib, EntryPoint = "g_log_default_handler")]
    public static partial void DefaultHandler(byte* domain, int level, byte* message, nint userData); // GLib's own: prints to stderr
}
