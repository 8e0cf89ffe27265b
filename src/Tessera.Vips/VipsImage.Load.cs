using Tessera.Vips.Interop;
namespace Tessera.Vips;

public sealed unsafe partial class VipsImage
{
    /// <summary>Reads the header of a file (loader, size, pages) without decoding pixels.</summary>
    public static ImageHeader Probe(string path)
    {
        VipsRuntime.EnsureStarted();
        var loader = LibVips.ForeignFindLoad(path);
        if (loader == 0)
        {
            throw VipsException.FromErrorBuffer("not a known image format");
        }

        using var op = VipsOperation.Create(System.Runtime.InteropServices.Marshal.PtrToStringUTF8(loader)!);
        op.Set("filename", path);
        return Header(op);
    }

    /// <summary>Reads the header of an in-memory image without decoding pixels.</summary>
    public static ImageHeader Probe(ReadOnlyMemory<byte> bytes)
    {
        VipsRuntime.EnsureStarted();
        nint loader;
        using (var pin = bytes.Pin())
        {
            loader = LibVips.ForeignFindLoadBuffer(pin.Pointer, (nuint)bytes.Length);
        }

        if (loader == 0)
        {
            throw VipsException.FromErrorBuffer("not a known image format");
        }

        using var op = VipsOperation.Create(System.Runtime.InteropServices.Marshal.PtrToStringUTF8(loader)!);
        op.Set("buffer", bytes);
        return Header(op);
    }

    /// <summary>vips_thumbnail from a file: shrink-on-load, auto-rotate, first page or frame only.</summary>
    public static VipsImage Thumbnail(string path, ThumbnailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var op = VipsOperation.Create("thumbnail");
        // libvips reads a trailing "[...]" as loader options; an explicit empty one keeps names like "a [1]" literal.
        op.Set("filename", path.EndsWith(']') ? path + "[]" : path);
        return RunThumbnail(op, options);
    }

    /// <summary>vips_thumbnail_buffer: as <see cref="Thumbnail(string, ThumbnailOptions)"/>, from bytes.</summary>
    public static VipsImage Thumbnail(ReadOnlyMemory<byte> bytes, ThumbnailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var op = VipsOperation.Create("thumbnail_buffer");
        op.Set("buffer", bytes);
        return RunThumbnail(op, options);
    }

    private static VipsImage RunThumbnail(VipsOperation op, ThumbnailOptions options)
    {
        op.Set("width", options.Width)
          .Set("height", options.Height)
          .Set("size", options.AllowUpscale ? "both" : "down");
        if (options.ExportProfile is { } profile)
        {
            op.Set("export_profile", profile);
        }

        op.Build();
        return op.GetImage("out");
    }

    private static ImageHeader Header(VipsOperation op)
    {
        // Loaders read only the header when built; pixels are decoded on first use, which never comes.
        op.Build();
        using var image = op.GetImage("out");
        return new ImageHeader(image.Loader ?? "unknown", image.Width, image.Height, image.PageHeight, image.Pages, image.Bands, image.Orientation,
            image.Interpretation, image.GetBlob("icc-profile-data"), image.BandFormat, image.GetInt("interlaced") == 1);
    }
}
