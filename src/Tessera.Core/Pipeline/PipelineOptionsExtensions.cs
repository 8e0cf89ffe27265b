using Tessera.Core.Presets;
using Tessera.Vips;

namespace Tessera.Core.Pipeline;

internal static class PipelineOptionsExtensions
{
    public static int Quality(this PipelineOptions options, Preset preset, ImageFormat format) => preset.Quality;

    public static int? Effort(this PipelineOptions options, ImageFormat format) => format switch
    {
        ImageFormat.WebP => options.WebPEffort,
        ImageFormat.Avif => options.AvifEffort,
        _ => null,
    };
}
