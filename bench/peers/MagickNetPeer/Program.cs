// Magick.NET (ImageMagick, Q8): JPEG size hint (decode at reduced scale), auto-orient, Thumbnail to fit inside
// 400x400 (strips profiles), WebP quality 80. One ImageMagick thread per image, like the others.
using ImageMagick;

ResourceLimits.Thread = 1;
return PeerRunner.Run(args, (src, dst) =>
{
    var settings = new MagickReadSettings();
    settings.SetDefine(MagickFormat.Jpeg, "size", "800x800");
    using var image = new MagickImage(src, settings);
    image.AutoOrient();
    image.Thumbnail(new MagickGeometry(400, 400));
    image.Quality = 80;
    image.Write(dst, MagickFormat.WebP);
});
