using Tessera.Core.Engine;
using Tessera.Core.Pipeline;
using Tessera.Tests.Support;

namespace Tessera.Tests.Pipeline;

public sealed class ThumbHashTests
{
    [Fact]
    public void SolidColour_DecodesToThatColour_InAtMost30Bytes()
    {
        var rgba = Pixels(64, 64, (_, _) => (200, 40, 90, 255));

        var hash = ThumbHash.Encode(64, 64, rgba);
        var (_, _, decoded) = ThumbHashDecoder.Decode(hash);
        var (r, g, b) = ThumbHashDecoder.Average(decoded);

        Assert.InRange(hash.Length, 5, 30);
        Assert.InRange(r, 192, 208);
        Assert.InRange(g, 32, 48);
        Assert.InRange(b, 82, 98);
        Assert.Equal("#c8285a", Preview.Of(64, 64, rgba).Colour);
    }

    [Fact]
    public void TwoColourSplit_KeepsItsHalvesAndItsShape()
    {
        // Left half red, right half blue, twice as wide as high.
        var rgba = Pixels(100, 50, (x, _) => x < 50 ? (255, 0, 0, 255) : (0, 0, 255, 255));

        var hash = ThumbHash.Encode(100, 50, rgba);
        var (w, h, decoded) = ThumbHashDecoder.Decode(hash);

        Assert.True(hash.Length <= 30, $"{hash.Length} bytes");
        Assert.True(w > h, $"decoded {w}x{h}: the landscape shape is lost");
        var (r, _, b) = ThumbHashDecoder.Average(decoded);
        Assert.InRange(r, 100, 155);
        Assert.InRange(b, 100, 155);
        var left = Pixel(decoded, w, w / 8, h / 2);
        var right = Pixel(decoded, w, w - 1 - (w / 8), h / 2);
        Assert.True(left.R > left.B + 80 && right.B > right.R + 80, $"left {left}, right {right}");
        Assert.Equal("#800080", Preview.Of(100, 50, rgba).Colour);
    }

    [Fact]
    public void TransparentImage_CarriesAlpha_InAtMost30Bytes()
    {
        var rgba = Pixels(40, 80, (x, y) => x < 20 ? (0, 200, 0, 255) : (0, 0, 0, 0));

        var hash = ThumbHash.Encode(40, 80, rgba);
        var (w, h, decoded) = ThumbHashDecoder.Decode(hash);

        Assert.True(hash.Length <= 30, $"{hash.Length} bytes");
        Assert.True(h > w);
        Assert.True(Pixel(decoded, w, 2, h / 2).A > 180 && Pixel(decoded, w, w - 3, h / 2).A < 80, "the transparent half is lost");
        Assert.Equal("#00c800", Preview.Of(40, 80, rgba).Colour); // transparent pixels do not darken the colour
    }

    [Fact]
    public void Preview_OfAnEncodedImage_DecodesNearItsAverageColour()
    {
        var jpeg = Images.SolidJpeg(300, 200, 30, 120, 210);

        var preview = Preview.Of(jpeg)!;
        var (_, _, decoded) = ThumbHashDecoder.Decode(Convert.FromBase64String(preview.ThumbHash));
        var (r, g, b) = ThumbHashDecoder.Average(decoded);

        Assert.InRange(r, 18, 42);
        Assert.InRange(g, 108, 132);
        Assert.InRange(b, 198, 222);
        Assert.Matches("^#[0-9a-f]{6}$", preview.Colour);
        Assert.InRange(Convert.ToInt32(preview.Colour[1..3], 16), 24, 36);
    }

    [Fact]
    public void Preview_OfBytesThatAreNoImage_IsNull() => Assert.Null(Preview.Of(new byte[] { 1, 2, 3, 4 }));

    [Fact]
    public void Encode_RefusesMoreThan100PixelsASide() =>
        Assert.Throws<ArgumentException>(() => ThumbHash.Encode(101, 10, new byte[101 * 10 * 4]));

    private static byte[] Pixels(int w, int h, Func<int, int, (int R, int G, int B, int A)> colour)
    {
        var rgba = new byte[w * h * 4];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var (r, g, b, a) = colour(x, y);
                var i = ((y * w) + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)r, (byte)g, (byte)b, (byte)a);
            }
        }

        return rgba;
    }

    private static (byte R, byte G, byte B, byte A) Pixel(byte[] rgba, int w, int x, int y)
    {
        var i = ((y * w) + x) * 4;
        return (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]);
    }
}
