namespace Tessera.Vips.Interop;

/// <summary>Native library names, in one place (Debian 12: libvips42, libglib2.0-0 (GLib, GObject, GModule)).</summary>
internal static class Libraries
{
    public const string Vips = "libvips.so.42";
    public const string GObject = "libgobject-2.0.so.0";
    public const string GLib = "libglib-2.0.so.0";
    public const string GModule = "libgmodule-2.0.so.0";
}
