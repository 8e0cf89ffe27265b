using Tessera.Core.Engine;

namespace Tessera.Tests.Engine;

public sealed class SmallImageTests
{
    [Fact]
    public void Rgb_IsAveragedPerBox_WithOpaqueAlpha()
    {
        // 4 × 2 RGB into at most 2 a side: two boxes of 2 × 2 pixels each (the height shrinks by the same factor).
        byte[] pixels =
        [
            10, 20, 30, 30, 40, 50, 200, 0, 0, 100, 0, 0,
            50, 60, 70, 70, 80, 90, 0, 0, 200, 0, 0, 100,
        ];
        var small = SmallImage.Of(pixels, 4, 2, 3, 2);
        Assert.Equal((2, 1), (small.Width, small.Height));
        Assert.Equal(new byte[] { 40, 50, 60, 255, 75, 0, 75, 255 }, small.Rgba);
    }

    [Fact]
    public void GreyWithAlpha_SpreadsGreyToRgb_AndAveragesAlpha()
    {
        byte[] pixels = [100, 0, 200, 255, 50, 255, 150, 255]; // 2 × 2 grey + alpha
        var small = SmallImage.Of(pixels, 2, 2, 2, 1);
        Assert.Equal((1, 1), (small.Width, small.Height));
        Assert.Equal(new byte[] { 125, 125, 125, 191 }, small.Rgba); // (0+255+255+255)/4 = 191.25
    }

    [Fact]
    public void AnImageAlreadySmall_IsKeptPixelForPixel()
    {
        byte[] pixels = [1, 2, 3, 4, 5, 6, 7, 8]; // 2 × 1 RGBA
        var small = SmallImage.Of(pixels, 2, 1, 4, 100);
        Assert.Equal((2, 1), (small.Width, small.Height));
        Assert.Equal(pixels, small.Rgba);
    }

    [Theory]
    [InlineData(400, 300, 100, 75)]
    [InlineData(300, 400, 75, 100)]
    [InlineData(1000, 3, 100, 1)]
    [InlineData(101, 101, 100, 100)]
    public void TheLongerSide_FitsTheLimit_AndTheShapeIsKept(int width, int height, int w, int h)
    {
        var small = SmallImage.Of(new byte[width * height], width, height, 1, 100);
        Assert.Equal((w, h), (small.Width, small.Height));
    }

    [Fact]
    public void TooFewPixels_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => SmallImage.Of(new byte[5], 2, 1, 3, 10));
    }

    [Theory]
    [InlineData(400, 267, 3)]
    [InlineData(401, 133, 4)]
    [InlineData(257, 399, 1)]
    [InlineData(123, 77, 2)]
    [InlineData(1000, 3, 3)]
    public void EveryPixel_CountsOnce_InTheBoxItFallsIn(int width, int height, int bands)
    {
        var pixels = new byte[width * height * bands];
        new Random(width * 31 + height).NextBytes(pixels);

        var small = SmallImage.Of(pixels, width, height, bands, 100);

        // The definition, pixel by pixel: column x goes to box x·w/width, row y to box y·h/height.
        var (w, h) = (small.Width, small.Height);
        var sums = new long[w * h * 4];
        var counts = new long[w * h];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var cell = ((int)((long)y * h / height) * w) + (int)((long)x * w / width);
                var at = ((y * width) + x) * bands;
                var (r, g, b) = bands < 3 ? (pixels[at], pixels[at], pixels[at]) : (pixels[at], pixels[at + 1], pixels[at + 2]);
                var a = bands is 2 or 4 ? pixels[at + bands - 1] : 255;
                sums[cell * 4] += r;
                sums[(cell * 4) + 1] += g;
                sums[(cell * 4) + 2] += b;
                sums[(cell * 4) + 3] += a;
                counts[cell]++;
            }
        }

        var expected = new byte[w * h * 4];
        for (var i = 0; i < expected.Length; i++)
        {
            var n = counts[i / 4];
            expected[i] = (byte)((sums[i] + (n / 2)) / n);
        }

        Assert.Equal(expected, small.Rgba);
    }
}
