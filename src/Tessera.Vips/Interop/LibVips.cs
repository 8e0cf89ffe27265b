using System.Runtime.InteropServices;

namespace Tessera.Vips.Interop;

/// <summary>libvips imports: the non-variadic API only. Ownership is noted on each import.</summary>
internal static unsafe partial class LibVips
{
    [LibraryImport(Libraries.Vips, EntryPoint = "vips_init", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Init(string argv0);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_version")]
    public static partial int Version(int flag);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_leak_set")]
    public static partial void LeakSet(int leak);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_cache_set_max")]
    public static partial void CacheSetMax(int max);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_cache_set_max_mem")]
    public static partial void CacheSetMaxMem(nuint max);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_cache_set_max_files")]
    public static partial void CacheSetMaxFiles(int max);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_concurrency_set")]
    public static partial void ConcurrencySet(int concurrency);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_vector_set_enabled")]
    public static partial void VectorSetEnabled(int enabled);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_vector_isenabled")]
    public static partial int VectorIsEnabled();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_block_untrusted_set")]
    public static partial void BlockUntrustedSet(int state);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_operation_block_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void OperationBlockSet(string name, int state);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_error_buffer_copy")]
    public static partial nint ErrorBufferCopy(); // owned: g_free; clears the buffer

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_error_clear")]
    public static partial void ErrorClear();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_operation_new", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint OperationNew(string name); // +1 ref, NULL on unknown name

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_cache_operation_build")]
    public static partial nint CacheOperationBuild(nint operation); // +1 ref on a (maybe cached) operation, NULL on error

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_object_unref_outputs")]
    public static partial void ObjectUnrefOutputs(nint obj);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_object_get_argument", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ObjectGetArgument(nint obj, string name, nint* pspec, nint* argumentClass, nint* argumentInstance); // all borrowed

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_object_map")]
    public static partial nint ObjectMap(delegate* unmanaged<nint, nint, nint, nint> fn, nint a, nint b);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_enum_from_nick", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int EnumFromNick(string domain, nuint type, string nick); // -1 on error

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_flags_from_nick", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FlagsFromNick(string domain, nuint type, string nick);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_foreign_find_load", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ForeignFindLoad(string filename); // borrowed static class name, NULL if none

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_foreign_find_load_buffer")]
    public static partial nint ForeignFindLoadBuffer(void* data, nuint size); // borrowed static class name

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_blob_copy")]
    public static partial nint BlobCopy(void* data, nuint length); // +1 ref VipsBlob

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_blob_get")]
    public static partial void* BlobGet(nint blob, nuint* length); // borrowed

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_blob_get_type")]
    public static partial nuint BlobGetType();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_area_unref")]
    public static partial void AreaUnref(nint area); // -1 ref

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_array_double_get_type")]
    public static partial nuint ArrayDoubleGetType();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_value_set_array_double")]
    public static partial void ValueSetArrayDouble(GValue* value, double* array, int n); // copied

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_width")]
    public static partial int ImageGetWidth(nint image);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_height")]
    public static partial int ImageGetHeight(nint image);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_bands")]
    public static partial int ImageGetBands(nint image);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_format")]
    public static partial int ImageGetFormat(nint image);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_guess_interpretation")]
    public static partial int ImageGuessInterpretation(nint image);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_interpretation")]
    public static partial int ImageGetInterpretation(nint image);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_page_height")]
    public static partial int ImageGetPageHeight(nint image);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_n_pages")]
    public static partial int ImageGetNPages(nint image);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_hasalpha")]
    public static partial int ImageHasAlpha(nint image);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_typeof", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nuint ImageGetTypeof(nint image, string name); // 0 when absent

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_int", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ImageGetInt(nint image, string name, int* output);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_string", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ImageGetString(nint image, string name, nint* output); // borrowed

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_blob", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ImageGetBlob(nint image, string name, void** data, nuint* length); // borrowed

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_fields")]
    public static partial nint ImageGetFields(nint image); // owned: g_strfreev

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_remove", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ImageRemove(nint image, string name);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_set_kill")]
    public static partial void ImageSetKill(nint image, int kill);

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_tracked_get_mem")]
    public static partial nuint TrackedGetMem();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_tracked_get_mem_highwater")]
    public static partial nuint TrackedGetMemHighwater();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_tracked_get_allocs")]
    public static partial int TrackedGetAllocs();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_tracked_get_files")]
    public static partial int TrackedGetFiles();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_enum_nick")]
    public static partial nint EnumNick(nuint type, int value); // borrowed static string

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_interpretation_get_type")]
    public static partial nuint InterpretationGetType();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_band_format_get_type")]
    public static partial nuint BandFormatGetType();

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_copy_memory")]
    public static partial nint ImageCopyMemory(nint image); // a new reference, or 0 on error

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_write_to_memory")]
    public static partial nint ImageWriteToMemory(nint image, nuint* size); // owned: g_free

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_image_get_data")]
    public static partial nint ImageGetData(nint image); // borrowed: the image's own pixels, or 0 on error

    [LibraryImport(Libraries.Vips, EntryPoint = "vips_format_sizeof")]
    public static partial ulong FormatSizeof(int format);
}
