using Tessera.Vips.Interop;
using System.Runtime.InteropServices;

namespace Tessera.Vips;

/// <summary>A libvips image. Pixels are computed lazily, when the image is saved or read.</summary>
public sealed unsafe partial class VipsImage : IDisposable
{
    private readonly VipsObjectHandle _handle;

    // Made by CopyMemory: its pixels are already in one buffer of its own, read in place.
    private readonly bool _inMemory;

    internal VipsImage(VipsObjectHandle handle) => _handle = handle;

    private VipsImage(VipsObjectHandle handle, bool inMemory) : this(handle) => _inMemory = inMemory;

    internal nint DangerousPointer => _handle.DangerousGetHandle();

    public int Width => LibVips.ImageGetWidth(Ptr);

    public int Height => LibVips.ImageGetHeight(Ptr);

    public int Bands => LibVips.ImageGetBands(Ptr);

    public int PageHeight => LibVips.ImageGetPageHeight(Ptr);

    public int Pages => LibVips.ImageGetNPages(Ptr);

    public bool HasAlpha => LibVips.ImageHasAlpha(Ptr) != 0;

    /// <summary>libvips interpretation nickname: "srgb", "b-w", "cmyk", "rgb16", "grey16", …</summary>
    public string Interpretation => Nick(LibVips.InterpretationGetType(), LibVips.ImageGetInterpretation(Ptr));

    /// <summary>libvips band format nickname: "uchar", "ushort", "float", …</summary>
    public string BandFormat => Nick(LibVips.BandFormatGetType(), LibVips.ImageGetFormat(Ptr));

    /// <summary>The EXIF orientation tag libvips parsed (1 when absent).</summary>
    public int Orientation => GetInt("orientation") ?? 1;

    /// <summary>The loader that produced this image, e.g. "jpegload", or null.</summary>
    public string? Loader => GetString("vips-loader");

    public int? GetInt(string field)
    {
        int value;
        if (LibVips.ImageGetTypeof(Ptr, field) == 0 || LibVips.ImageGetInt(Ptr, field, &value) != 0)
        {
            LibVips.ErrorClear();
            return null;
        }

        return value;
    }

    public string? GetString(string field)
    {
        nint value;
        if (LibVips.ImageGetTypeof(Ptr, field) == 0 || LibVips.ImageGetString(Ptr, field, &value) != 0)
        {
            LibVips.ErrorClear();
            return null;
        }

        return Marshal.PtrToStringUTF8(value);
    }

    /// <summary>A binary metadata field (e.g. "icc-profile-data"), copied, or null when absent.</summary>
    public byte[]? GetBlob(string field)
    {
        void* data;
        nuint length;
        if (LibVips.ImageGetTypeof(Ptr, field) == 0 || LibVips.ImageGetBlob(Ptr, field, &data, &length) != 0)
        {
            LibVips.ErrorClear();
            return null;
        }

        return new ReadOnlySpan<byte>(data, checked((int)length)).ToArray();
    }

    /// <summary>Names of every field on the image, header fields and metadata alike.</summary>
    public IReadOnlyList<string> FieldNames()
    {
        var strv = LibVips.ImageGetFields(Ptr); // owned: g_strfreev
        var names = new List<string>();
        try
        {
            for (var p = (nint*)strv; *p != 0; p++)
            {
                names.Add(Marshal.PtrToStringUTF8(*p)!);
            }
        }
        finally
        {
            GObject.StrFreeV(strv);
        }

        return names;
    }

    /// <summary>Asks a running computation on this image to stop; it then fails with an error.</summary>
    public void Kill() => LibVips.ImageSetKill(Ptr, 1);

    /// <summary>Computes the image once into memory: the copy can then be encoded and read without computing it again.</summary>
    public VipsImage CopyMemory()
    {
        var copy = LibVips.ImageCopyMemory(Ptr);
        return copy == 0 ? throw VipsException.FromErrorBuffer("vips_image_copy_memory failed") : new VipsImage(new VipsObjectHandle(copy), inMemory: true);
    }

    /// <summary>Computes the image and hands its raw pixels (band-interleaved) to <paramref name="read"/> without copying
    /// them into managed memory; the span is valid only during the call. An image made by <see cref="CopyMemory"/> lends
    /// its own buffer: no copy and no libvips thread pool (one image's work stays on its thread).</summary>
    public T ReadPixels<T>(PixelReader<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (_inMemory)
        {
            var data = LibVips.ImageGetData(Ptr); // borrowed, lives as long as the image
            if (data == 0)
            {
                throw VipsException.FromErrorBuffer("vips_image_get_data failed");
            }

            var length = checked((long)Width * Height * Bands * (long)LibVips.FormatSizeof(LibVips.ImageGetFormat(Ptr)));
            return read(new ReadOnlySpan<byte>((void*)data, checked((int)length)));
        }

        nuint size;
        var mem = LibVips.ImageWriteToMemory(Ptr, &size); // owned: g_free
        if (mem == 0)
        {
            throw VipsException.FromErrorBuffer("vips_image_write_to_memory failed");
        }

        try
        {
            return read(new ReadOnlySpan<byte>((void*)mem, checked((int)size)));
        }
        finally
        {
            GObject.Free(mem);
        }
    }

    /// <summary>Computes the image and returns its raw pixels, band-interleaved. For small images and tests.</summary>
    public byte[] ToPixels()
    {
        nuint size;
        var mem = LibVips.ImageWriteToMemory(Ptr, &size); // owned: g_free
        if (mem == 0)
        {
            throw VipsException.FromErrorBuffer("vips_image_write_to_memory failed");
        }

        try
        {
            return new ReadOnlySpan<byte>((void*)mem, checked((int)size)).ToArray();
        }
        finally
        {
            GObject.Free(mem);
        }
    }

    public void Dispose() => _handle.Dispose();

    private nint Ptr
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle.DangerousGetHandle();
        }
    }

    private static string Nick(nuint enumType, int value) =>
        Marshal.PtrToStringUTF8(LibVips.EnumNick(enumType, value)) ?? value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Reads pixels lent by <see cref="VipsImage.ReadPixels{T}"/>.</summary>
public delegate T PixelReader<out T>(ReadOnlySpan<byte> pixels);
