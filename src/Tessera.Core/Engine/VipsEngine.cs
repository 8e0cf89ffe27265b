using Tessera.Core.Presets;
using Tessera.Vips;

namespace Tessera.Core.Engine;

/// <summary>Core's one door to libvips: probe, thumbnail, encode. Past it, Core sees only its own types
/// (<see cref="OutputFormat"/>, <see cref="SourceHeader"/>, <see cref="EngineException"/>). libvips is process-wide,
/// so this is static, and it sets Tessera's policy on the binding once, before the first image.</summary>
internal static class VipsEngine
{
    /// <summary>The loaders Tessera allows although libvips marks them untrusted. PDF and JXL only for files
    /// from configured local libraries; remote bytes go through buffer loaders, which stay blocked.
    /// SVG only from a buffer: SvgSource reads library SVG/SVGZ files and hands over the sanitised document,
    /// and the Thumbnailer refuses SVG in any other buffer, so only sanitised SVG reaches the loader. The SVG
    /// file loader stays blocked, so a file that skipped the sanitiser fails instead of letting librsvg follow
    /// its references.</summary>
    private static readonly string[] TrustedLoaders =
    [
        "VipsForeignLoadPdfFile", "VipsForeignLoadJxlFile", "VipsForeignLoadSvgBuffer",
    ];

    private static readonly Lazy<string> Started = new(Start);

    /// <summary>The libvips modules Tessera loads (see <see cref="VipsRuntime.LoadOnlyModules"/>).</summary>
    internal static readonly string[] Modules = ["heif", "jxl", "poppler"];

    /// <summary>The largest side of <see cref="Rendered.Small"/>: what a ThumbHash is computed from.</summary>
    public const int SmallSide = 100;

    /// <summary>The libvips version, e.g. "8.14.1". Throws <see cref="DllNotFoundException"/> when libvips is missing.</summary>
    public static string Version => Started.Value;

    /// <summary>Reads a file's header without decoding pixels.</summary>
    public static SourceHeader Probe(string path) => Run(() => Header(VipsImage.Probe(path)));

    /// <summary>Reads the header of encoded bytes without decoding pixels.</summary>
    public static SourceHeader Probe(ReadOnlyMemory<byte> bytes) => Run(() => Header(VipsImage.Probe(bytes)));

    /// <summary>The output format a header's loader reads, or null. libvips reads AVIF and HEIC with one loader,
    /// so HEIC counts as AVIF here.</summary>
    public static OutputFormat? FormatOf(SourceHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var loader = header.Loader;
        return loader.StartsWith("jpeg", StringComparison.Ordinal) ? OutputFormat.Jpeg
            : loader.StartsWith("webp", StringComparison.Ordinal) ? OutputFormat.WebP
            : loader.StartsWith("png", StringComparison.Ordinal) ? OutputFormat.Png
            : loader.StartsWith("heif", StringComparison.Ordinal) ? OutputFormat.Avif
            : null;
    }

    /// <summary>Shrinks a file into the box (shrink-on-load, EXIF auto-rotation, first page or frame only) and
    /// encodes it as 8-bit sRGB with no metadata. Cancelling <paramref name="kill"/> stops a running encode,
    /// which then fails; nothing else interrupts the native work.</summary>
    public static Rendered Thumbnail(string path, ThumbnailBox box, EncodeSettings encode, CancellationToken kill) =>
        Render(box, shrink => Lean(box, shrink, path) is { } lean ? VipsImage.Open(lean, shrink) : VipsImage.Open(path, shrink),
            () => VipsImage.Thumbnail(path, Options(box)), encode, kill);

    /// <summary>As <see cref="Thumbnail(string, ThumbnailBox, EncodeSettings, CancellationToken)"/>, from encoded bytes.</summary>
    public static Rendered Thumbnail(ReadOnlyMemory<byte> bytes, ThumbnailBox box, EncodeSettings encode, CancellationToken kill) =>
        Render(box, shrink => Lean(box, shrink, bytes.Span) is { } lean ? VipsImage.Open(lean, shrink) : VipsImage.Open(bytes, shrink),
            () => VipsImage.Thumbnail(bytes, Options(box)), encode, kill);

    /// <summary>How many progressive JPEGs were opened through <see cref="EighthScaleJpeg"/> (process-wide; for tests).</summary>
    internal static long LeanOpens => Interlocked.Read(ref _leanOpens);

    private static long _leanOpens;

    /// <summary>A progressive JPEG file opened at 1/8, rewritten without the scans that scale never reads
    /// (<see cref="EighthScaleJpeg"/>); null decodes the file as it is (any other case, or it cannot be read now).</summary>
    private static byte[]? Lean(ThumbnailBox box, int shrink, string path)
    {
        if (!box.Progressive || shrink != 8)
        {
            return null;
        }

        try
        {
            return Lean(box, shrink, File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // libvips' own open reports it
        }
    }

    /// <summary>As <see cref="Lean(ThumbnailBox, int, string)"/>, for encoded bytes.</summary>
    private static byte[]? Lean(ThumbnailBox box, int shrink, ReadOnlySpan<byte> jpeg)
    {
        var lean = box.Progressive && shrink == 8 ? EighthScaleJpeg.Rewrite(jpeg) : null;
        if (lean is not null)
        {
            Interlocked.Increment(ref _leanOpens);
        }

        return lean;
    }

    /// <summary>The pipeline the box asks for, from one source (<paramref name="open"/> at a JPEG shrink-on-load, or
    /// <paramref name="thumbnail"/>: vips_thumbnail with its own): CMYK's colour path, a JPEG at Tessera's shrink-on-load,
    /// else vips_thumbnail; built under <see cref="VectorGate"/>, then encoded.</summary>
    private static Rendered Render(ThumbnailBox box, Func<int, VipsImage> open, Func<VipsImage> thumbnail, EncodeSettings encode,
        CancellationToken kill) =>
        Run(() =>
        {
            using var thumb = VectorGate.Build(() => box.Cmyk ? Cmyk(open, box)
                : box.JpegShrinkOnLoad > 1 ? Shrunk(open(box.JpegShrinkOnLoad), box)
                : thumbnail());
            return Encode(thumb.Image, encode, kill);
        });

    /// <summary>Decodes every pixel of a 16 × 16 shrink: a cut-off file fails here.</summary>
    public static void DecodeSample(ReadOnlyMemory<byte> bytes) =>
        Run(() =>
        {
            using var image = VectorGate.Build(() => VipsImage.Thumbnail(bytes, new ThumbnailOptions(16, 16) { ExportProfile = null }));
            return image.Image.Average();
        });

    /// <summary>Encoded bytes shrunk to fit <paramref name="max"/> × <paramref name="max"/>, as 8-bit sRGB RGBA pixels
    /// (alpha 255 where the image has none): what a preview is computed from.</summary>
    public static SmallImage SmallRgba(ReadOnlyMemory<byte> bytes, int max) =>
        Run(() =>
        {
            using var thumb = VectorGate.Build(() => VipsImage.Thumbnail(bytes, new ThumbnailOptions(max, max) { ExportProfile = null }));
            using var converted = ToSrgb8(thumb.Image);
            var srgb = converted ?? thumb.Image;
            return srgb.ReadPixels(span => SmallImage.Of(span, srgb.Width, srgb.Height, srgb.Bands, max)); // already fits: RGBA, pixel for pixel
        });

    /// <summary>An image of one colour (one value per band: grey or RGB), encoded.</summary>
    public static byte[] Solid(int width, int height, double[] colour, EncodeSettings encode) =>
        Run(() =>
        {
            using var solid = VipsImage.Solid(width, height, colour);
            return solid.Save(Save(encode));
        });

    private static string Start()
    {
        VipsLog.SetHandler(EngineLog.Route); // warnings to the log, not to stderr
        // Only the modules whose loaders Tessera runs: HEIC/AVIF, JPEG XL, PDF. ImageMagick's and openslide's loaders are
        // untrusted, so blocked below: loading those modules only cost every start 20-40 ms, their libraries' memory and
        // their format checks on every file opened (openslide's alone: 2% of a warm's CPU in a perf profile).
        VipsRuntime.LoadOnlyModules(Modules);
        try
        {
            VipsRuntime.EnsureStarted();
        }
        catch (VipsException e)
        {
            throw new EngineException(e.Message, e);
        }

        VipsRuntime.SetOperationCache(0, 0, 0); // every request is a different image: nothing to reuse
        VipsRuntime.SetConcurrency(1); // one thread inside each image: Tessera parallelises across images
        // liborc stays on (libvips' default; VIPS_NOVECTOR=1 turns it off): its vertical reduce is 10x cheaper than the
        // C path. Its compile and free run one thread at a time (VectorGate), the liborc 0.4.33 races behind the crashes
        // that once turned it off.
        VipsRuntime.SetUntrustedBlocked(true);
        foreach (var loader in TrustedLoaders)
        {
            VipsRuntime.SetOperationBlocked(loader, false);
        }

        return VipsRuntime.Version;
    }

    private static T Run<T>(Func<T> work)
    {
        _ = Started.Value;
        try
        {
            return work();
        }
        catch (VipsException e)
        {
            throw new EngineException(e.Message, e);
        }
    }

    private static Rendered Encode(VipsImage thumb, EncodeSettings encode, CancellationToken kill)
    {
        using var converted = ToSrgb8(thumb);
        var srgb = converted ?? thumb;
        using var flat = encode.Format is OutputFormat.Jpeg && srgb.HasAlpha ? srgb.Flatten(255, 255, 255) : null;
        using var clean = (flat ?? srgb).WithoutMetadata();
        // Declared after clean, so disposed before it: a late kill never reaches a freed image.
        using var stop = kill.Register(clean.Kill);
        // Computed once into memory (a thumbnail is small), then encoded and shrunk for the preview from there: the
        // preview no longer decodes the encoded thumbnail again (measured: 4% of a warm's CPU went to that).
        using var pixels = clean.CopyMemory();
        using var stopEncode = kill.Register(pixels.Kill);
        var bytes = pixels.Save(Save(encode));
        return new Rendered(bytes, pixels.Width, pixels.Height)
        {
            Small = pixels.BandFormat == "uchar"
                ? pixels.ReadPixels(span => SmallImage.Of(span, pixels.Width, pixels.Height, pixels.Bands, SmallSide))
                : null,
        };
    }

    /// <summary>8-bit sRGB, or null when the image already is. An ICC transform (<see cref="ThumbnailBox.IccToSrgb"/>)
    /// already gave sRGB; this covers the rest: grey, 16-bit, untagged.</summary>
    private static VipsImage? ToSrgb8(VipsImage image)
    {
        if (image.Interpretation == "srgb")
        {
            return image.BandFormat == "uchar" ? null : image.Cast("uchar");
        }

        var converted = image.Colourspace("srgb");
        if (converted.BandFormat == "uchar")
        {
            return converted;
        }

        using (converted)
        {
            return converted.Cast("uchar");
        }
    }

    /// <summary>A CMYK source. libvips 8.14's thumbnail converts CMYK to sRGB with the relative intent whatever it is
    /// asked, and without black point compensation: a profile's shadows are clipped, and a file with no profile (as
    /// print-origin cover art often is), read with the built-in CMYK profile, comes out with grey blacks, washed out
    /// against sharp and ImageMagick. So: shrink on load in CMYK (<see cref="ThumbnailBox.JpegShrinkOnLoad"/>, else as
    /// thumbnail would); then the embedded profile, else the built-in one, perceptual with black point compensation
    /// (what libvips 8.18 and sharp do); then resize and rotate the smaller sRGB image.</summary>
    private static VipsImage Cmyk(Func<int, VipsImage> open, ThumbnailBox box)
    {
        var shrink = box.JpegShrinkOnLoad;
        if (shrink < 1)
        {
            using var header = open(1); // the header only: pixels are decoded on first use
            shrink = JpegShrink.Vips(JpegShrink.Needed(header.Width, header.Height, header.Orientation, box));
        }

        using var cmyk = open(shrink);
        using var srgb = cmyk.IccTransform("srgb", "cmyk");
        return srgb.ThumbnailImage(new ThumbnailOptions(box.Width, box.Height) { ExportProfile = null });
    }

    /// <summary>A JPEG opened at <see cref="ThumbnailBox.JpegShrinkOnLoad"/>, then thumbnailed as vips_thumbnail would
    /// (resize into the box, EXIF auto-rotation, the ICC transform when asked).</summary>
    private static VipsImage Shrunk(VipsImage opened, ThumbnailBox box)
    {
        using (opened)
        {
            return opened.ThumbnailImage(Options(box));
        }
    }

    private static ThumbnailOptions Options(ThumbnailBox box) =>
        new(box.Width, box.Height) { ExportProfile = box.IccToSrgb ? "srgb" : null };

    private static SaveOptions Save(EncodeSettings encode) => new(encode.Format switch
    {
        OutputFormat.WebP => ImageFormat.WebP,
        OutputFormat.Jpeg => ImageFormat.Jpeg,
        OutputFormat.Png => ImageFormat.Png,
        OutputFormat.Avif => ImageFormat.Avif,
        _ => throw new ArgumentOutOfRangeException(nameof(encode), encode.Format, "resolve the output format first"),
    }, encode.Quality)
    { Effort = encode.Effort };

    private static SourceHeader Header(ImageHeader header) =>
        new(header.Loader, header.Width, header.Height, header.PageHeight, header.Interpretation, header.IccProfile)
        {
            Bands = header.Bands, BytesPerSample = BytesPerSample(header.BandFormat), Interlaced = header.Interlaced,
            Orientation = header.Orientation,
        };

    private static int BytesPerSample(string bandFormat) => bandFormat switch
    {
        "uchar" or "char" => 1,
        "ushort" or "short" => 2,
        "double" or "complex" => 8,
        "dpcomplex" => 16,
        _ => 4,
    };
}
