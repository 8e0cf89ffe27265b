namespace Tessera.Vips;

/// <summary>How severe a GLib log message is (GLogLevelFlags, most severe first).</summary>
public enum VipsLogLevel
{
    Error,
    Critical,
    Warning,
    Message,
    Info,
    Debug,
}

/// <summary>One message libvips, GObject or GLib logged, e.g. domain "VIPS", a warning, "VipsJpeg: Premature end of JPEG file".</summary>
public readonly record struct VipsLogMessage(string Domain, VipsLogLevel Level, string Text);
