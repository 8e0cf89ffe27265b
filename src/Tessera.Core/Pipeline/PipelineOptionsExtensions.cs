using Tessera.Vips;

namespace Tessera.Core.Pipeline;

internal static class PipelineOptionsExtensions
{
    public static int? Effort(this PipelineOptions options, ImageFormat format) => format switch
    {
        ImageFormat.WebP => options.WebPEffort,
        ImageFormat.Avif => options.AvifEffort,
        _ => null,
    };
}
