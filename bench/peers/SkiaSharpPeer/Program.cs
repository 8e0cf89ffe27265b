// SkiaSharp 4.x: decode at the codec's nearest scale at or above the target (JPEG DCT scaling), resize with a cubic
// (Mitchell) filter, apply the EXIF orientation, encode WebP quality 80.
using SkiaSharp;

return PeerRunner.Run(args, (src, dst) =>
{
    using var codec = SKCodec.Create(src) ?? throw new InvalidOperationException("not an image Skia reads");
    var full = codec.Info;
    var scale = Math.Min(1f, Math.Min(400f / full.Width, 400f / full.Height));
    var w = Math.Max(1, (int)Math.Round(full.Width * scale));
    var h = Math.Max(1, (int)Math.Round(full.Height * scale));
    var decodeSize = codec.GetScaledDimensions(Math.Max(scale, 0.125f));
    if (decodeSize.Width < w || decodeSize.Height < h) decodeSize = new SKSizeI(full.Width, full.Height);
    var info = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb());
    using var decoded = new SKBitmap(info);
    var result = codec.GetPixels(info, decoded.GetPixels());
    if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) throw new InvalidOperationException(result.ToString());
    using var resized = decoded.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul, SKColorSpace.CreateSrgb()),
        new SKSamplingOptions(SKCubicResampler.Mitchell)) ?? throw new InvalidOperationException("resize failed");
    using var oriented = Orient(resized, codec.EncodedOrigin);
    using var image = SKImage.FromBitmap(oriented);
    using var data = image.Encode(SKEncodedImageFormat.Webp, 80);
    using var file = File.Create(dst);
    data.SaveTo(file);
});

static SKBitmap Orient(SKBitmap bitmap, SKEncodedOrigin origin)
{
    if (origin == SKEncodedOrigin.TopLeft) return bitmap.Copy();
    var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
    var rotated = new SKBitmap(swap ? bitmap.Height : bitmap.Width, swap ? bitmap.Width : bitmap.Height, bitmap.ColorType, bitmap.AlphaType);
    using var canvas = new SKCanvas(rotated);
    float w = bitmap.Width, h = bitmap.Height;
    switch (origin)
    {
        case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1); canvas.Translate(-w, 0); break;
        case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180); canvas.Translate(-w, -h); break;
        case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1); canvas.Translate(0, -h); break;
        case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
        case SKEncodedOrigin.RightTop: canvas.Translate(h, 0); canvas.RotateDegrees(90); break;
        case SKEncodedOrigin.RightBottom: canvas.Translate(h, w); canvas.RotateDegrees(90); canvas.Scale(-1, 1); canvas.Translate(-w, 0); break;
        case SKEncodedOrigin.LeftBottom: canvas.Translate(0, w); canvas.RotateDegrees(270); break;
    }
    canvas.DrawBitmap(bitmap, 0, 0);
    return rotated;
}
