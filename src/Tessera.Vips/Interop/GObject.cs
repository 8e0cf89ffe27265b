using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>GObject and GLib imports. Ownership is noted on each import.</summary>
internal static unsafe partial class GObject
{
    [LibraryImport(Libraries.GObject, EntryPoint = "g_object_ref")]
    public static partial nint Ref(nint obj); // +1 ref, returns obj

    [LibraryImport(Libraries.GObject, EntryPoint = "g_object_unref")]
    public static partial void Unref(nint obj); // -1 ref

    [LibraryImport(Libraries.GObject, EntryPoint = "g_object_set_property", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void SetProperty(nint obj, string name, GValue* value); // value copied

    [LibraryImport(Libraries.GObject, EntryPoint = "g_object_get_property", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void GetProperty(nint obj, string name, GValue* value); // value holds its own ref/copy

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_init")]
    public static partial GValue* ValueInit(GValue* value, nuint gtype);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_unset")]
    public static partial void ValueUnset(GValue* value); // releases what the value holds

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_set_boolean")]
    public static partial void ValueSetBoolean(GValue* value, int v);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_get_boolean")]
    public static partial int ValueGetBoolean(GValue* value);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_set_int")]
    public static partial void ValueSetInt(GValue* value, int v);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_get_int")]
    public static partial int ValueGetInt(GValue* value);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_set_uint64")]
    public static partial void ValueSetUInt64(GValue* value, ulong v);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_set_double")]
    public static partial void ValueSetDouble(GValue* value, double v);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_get_double")]
    public static partial double ValueGetDouble(GValue* value);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_set_string", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void ValueSetString(GValue* value, string v); // copied

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_set_enum")]
    public static partial void ValueSetEnum(GValue* value, int v);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_set_flags")]
    public static partial void ValueSetFlags(GValue* value, uint v);

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_set_object")]
    public static partial void ValueSetObject(GValue* value, nint obj); // value takes its own ref

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_get_object")]
    public static partial nint ValueGetObject(GValue* value); // borrowed

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_set_boxed")]
    public static partial void ValueSetBoxed(GValue* value, nint boxed); // value takes a copy (a ref for VipsArea)

    [LibraryImport(Libraries.GObject, EntryPoint = "g_value_get_boxed")]
    public static partial nint ValueGetBoxed(GValue* value); // borrowed

    [LibraryImport(Libraries.GObject, EntryPoint = "g_type_fundamental")]
    public static partial nuint TypeFundamental(nuint gtype);

    [LibraryImport(Libraries.GLib, EntryPoint = "g_free")]
    public static partial void Free(nint mem);

    [LibraryImport(Libraries.GLib, EntryPoint = "g_strfreev")]
    public static partial void StrFreeV(nint strv);
}
