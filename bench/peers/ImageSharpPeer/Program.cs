// ImageSharp 2.1.13 (fully managed): load, auto-orient, resize to fit inside 400x400 (bicubic), WebP quality 80.
// One thread inside each image, so that the benchmark's 2 workers are the only parallelism.
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Processing;

Configuration.Default.MaxDegreeOfParallelism = 1;
var encoder = new WebpEncoder { Quality = 80, FileFormat = WebpFileFormatType.Lossy };
return PeerRunner.Run(args, (src, dst) =>
{
    using var image = Image.Load(src);
    image.Mutate(x => x.AutoOrient().Resize(new ResizeOptions { Mode = ResizeMode.Max, Size = new Size(400, 400) }));
    image.Metadata.ExifProfile = null;
    image.Metadata.IccProfile = null;
    image.Metadata.XmpProfile = null;
    image.SaveAsWebp(dst, encoder);
});
