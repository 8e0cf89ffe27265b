using Tessera.Vips.Interop;
namespace Tessera.Vips;

public sealed partial class VipsImage
{
    /// <summary>Converts to another colour space, e.g. "srgb" (also casts 16-bit to 8-bit).</summary>
    public VipsImage Colourspace(string space) => Unary("colourspace", op => op.Set("space", space));

    /// <summary>An ICC transform to <paramref name="outputProfile"/> ("srgb" or a file), perceptual, with black point
    /// compensation so the source's darkest black maps to the output's. The embedded profile is used when there is
    /// one, else <paramref name="inputProfile"/> (a built-in name such as "cmyk", or a file).</summary>
    public VipsImage IccTransform(string outputProfile, string inputProfile) =>
        Unary("icc_transform", op => op.Set("output_profile", outputProfile).Set("input_profile", inputProfile)
            .Set("embedded", true).Set("intent", "perceptual").Set("black_point_compensation", true));

    /// <summary>Casts pixels to a band format, e.g. "uchar".</summary>
    public VipsImage Cast(string format) => Unary("cast", op => op.Set("format", format));

    /// <summary>Removes alpha by blending onto a background colour.</summary>
    public VipsImage Flatten(params double[] background) => Unary("flatten", op => op.Set("background", background));

    /// <summary>A new image header over the same pixels, with every metadata field removed
    /// (EXIF, XMP, IPTC, ICC, comments, loader hints), so encoders have nothing to copy.</summary>
    public VipsImage WithoutMetadata()
    {
        var copy = Unary("copy", _ => { });
        foreach (var field in copy.FieldNames())
        {
            // Header fields (width, bands, …) are not in the metadata table; removing them is a no-op.
            LibVips.ImageRemove(copy.DangerousPointer, field);
        }

        return copy;
    }

    /// <summary>Mean pixel value over all bands.</summary>
    public double Average()
    {
        using var op = VipsOperation.Create("avg");
        op.Set("in", this);
        op.Build();
        return op.GetDouble("out");
    }

    /// <summary>A solid image of one colour, e.g. for placeholders.</summary>
    public static VipsImage Solid(int width, int height, params double[] colour)
    {
        ArgumentNullException.ThrowIfNull(colour);
        using var black = Create("black", op => op.Set("width", width).Set("height", height).Set("bands", colour.Length));
        var ones = new double[colour.Length];
        Array.Fill(ones, 1.0);
        using var coloured = black.Unary("linear", op => op.Set("a", ones).Set("b", colour));
        using var uchar = coloured.Cast("uchar");
        return uchar.Unary("copy", op => op.Set("interpretation", colour.Length >= 3 ? "srgb" : "b-w"));
    }

    private VipsImage Unary(string name, Action<VipsOperation> configure) =>
        Create(name, op =>
        {
            op.Set("in", this);
            configure(op);
        });

    private static VipsImage Create(string name, Action<VipsOperation> configure)
    {
        using var op = VipsOperation.Create(name);
        configure(op);
        op.Build();
        return op.GetImage("out");
    }
}
