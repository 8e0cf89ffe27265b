using Tessera.Vips.Interop;
namespace Tessera.Vips;

public sealed unsafe partial class VipsImage
{
    private static readonly string[] FileLoaders = ["VipsForeignLoadJpegFile", "VipsForeignLoadPngFile", "VipsForeignLoadWebpFile"];
    private static readonly string[] BufferLoaders = ["VipsForeignLoadJpegBuffer", "VipsForeignLoadPngBuffer", "VipsForeignLoadWebpBuffer"];

    /// <summary>Reads the header of a file (loader, size, pages) without decoding pixels.</summary>
    public static ImageHeader Probe(string path)
    {
        VipsRuntime.EnsureStarted();
        using var op = VipsOperation.Create(FileLoader(path));
        op.Set("filename", path);
        return Header(op);
    }

    /// <summary>Reads the header of an in-memory image without decoding pixels.</summary>
    public static ImageHeader Probe(ReadOnlyMemory<byte> bytes)
    {
        VipsRuntime.EnsureStarted();
        using var op = VipsOperation.Create(BufferLoader(bytes));
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
        if (VipsModules.Deferred && Known(path) is null)
        {
            VipsRuntime.EnsureModules(); // its loader may be a module's
        }

        using var lookup = VipsModules.Lookup(); // vips_thumbnail looks its loader up
        return RunThumbnail(op, options);
    }

    /// <summary>vips_thumbnail_buffer: as <see cref="Thumbnail(string, ThumbnailOptions)"/>, from bytes.</summary>
    public static VipsImage Thumbnail(ReadOnlyMemory<byte> bytes, ThumbnailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var op = VipsOperation.Create("thumbnail_buffer");
        op.Set("buffer", bytes);
        if (VipsModules.Deferred && Known(bytes.Span) is null)
        {
            VipsRuntime.EnsureModules();
        }

        using var lookup = VipsModules.Lookup();
        return RunThumbnail(op, options);
    }

    /// <summary>vips_thumbnail_image: as <see cref="Thumbnail(string, ThumbnailOptions)"/>, from an image already open
    /// (no shrink-on-load; see <see cref="Open(string, int)"/>).</summary>
    public VipsImage ThumbnailImage(ThumbnailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var op = VipsOperation.Create("thumbnail_image");
        op.Set("in", this);
        return RunThumbnail(op, options);
    }

    /// <summary>Opens a file for one sequential read, without decoding pixels until they are used. A JPEG loader is
    /// asked to shrink by <paramref name="shrink"/> (1, 2, 4 or 8) while decoding; other loaders ignore it.</summary>
    public static VipsImage Open(string path, int shrink = 1)
    {
        VipsRuntime.EnsureStarted();
        var name = FileLoader(path);
        using var op = VipsOperation.Create(name);
        op.Set("filename", path);
        return RunOpen(op, name, shrink);
    }

    /// <summary>As <see cref="Open(string, int)"/>, from encoded bytes.</summary>
    public static VipsImage Open(ReadOnlyMemory<byte> bytes, int shrink = 1)
    {
        VipsRuntime.EnsureStarted();
        var name = BufferLoader(bytes);
        using var op = VipsOperation.Create(name);
        op.Set("buffer", bytes);
        return RunOpen(op, name, shrink);
    }

    /// <summary>The loader for a file. JPEG, PNG and WebP are named by their first bytes, as their loaders' own checks
    /// do: vips_foreign_find_load asks every loader in priority order, each opening and reading the file (about 15
    /// opens for a JPEG, whose loader comes late). Anything else is libvips' own lookup, which skips blocked loaders
    /// (after the deferred modules have loaded: its loader may be theirs).</summary>
    private static string FileLoader(string path)
    {
        if (Known(path) is { } known)
        {
            return FileLoaders[known];
        }

        VipsRuntime.EnsureModules();
        var loader = LibVips.ForeignFindLoad(path); // borrowed (a static class name)
        return loader == 0
            ? throw VipsException.FromErrorBuffer("not a known image format")
            : System.Runtime.InteropServices.Marshal.PtrToStringUTF8(loader)!;
    }

    /// <summary>As <see cref="FileLoader"/>, for encoded bytes.</summary>
    private static string BufferLoader(ReadOnlyMemory<byte> bytes)
    {
        if (Known(bytes.Span) is { } known)
        {
            return BufferLoaders[known];
        }

        VipsRuntime.EnsureModules();
        nint loader;
        using (var pin = bytes.Pin())
        {
            loader = LibVips.ForeignFindLoadBuffer(pin.Pointer, (nuint)bytes.Length); // borrowed
        }

        return loader == 0
            ? throw VipsException.FromErrorBuffer("not a known image format")
            : System.Runtime.InteropServices.Marshal.PtrToStringUTF8(loader)!;
    }

    /// <summary>0 for JPEG, 1 for PNG, 2 for WebP by the file's first bytes; null for anything else or an unreadable
    /// file (libvips' own lookup reports it).</summary>
    private static int? Known(string path)
    {
        Span<byte> head = stackalloc byte[12];
        int length;
        try
        {
            using var file = File.OpenHandle(path);
            length = RandomAccess.Read(file, head, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }

        return Known(head[..length]);
    }

    private static int? Known(ReadOnlySpan<byte> head) =>
        head is [0xFF, 0xD8, 0xFF, ..] ? 0
        : head is [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] ? 1
        : head is [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] ? 2
        : null;

    private static VipsImage RunOpen(VipsOperation op, string loader, int shrink)
    {
        op.Set("access", "sequential");
        if (shrink > 1 && loader.StartsWith("VipsForeignLoadJpeg", StringComparison.Ordinal))
        {
            op.Set("shrink", shrink);
        }

        op.Build();
        return op.GetImage("out");
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
