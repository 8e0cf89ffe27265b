using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>GLib's GValue: a GType plus a two-word union (24 bytes on LP64). Must be zeroed before g_value_init.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GValue
{
    public nuint GType;
    public long Data0;
    public long Data1;
}

/// <summary>Fundamental GTypes (G_TYPE_MAKE_FUNDAMENTAL(n) = n &lt;&lt; 2).</summary>
internal static class FundamentalType
{
    public const nuint Boolean = 5 << 2;
    public const nuint Int = 6 << 2;
    public const nuint UInt64 = 11 << 2;
    public const nuint Enum = 12 << 2;
    public const nuint Flags = 13 << 2;
    public const nuint Double = 15 << 2;
    public const nuint String = 16 << 2;
    public const nuint Boxed = 18 << 2;
    public const nuint Object = 20 << 2;
}
