using Tessera.Core.Presets;

namespace Tessera.Core.Pipeline;

internal static class PipelineOptionsExtensions
{
    public static int? Effort(this PipelineOptions options, OutputFormat format) => format switch
    {
        OutputFormat.WebP => options.WebPEffort,
        OutputFormat.Avif => options.AvifEffort,
        _ => null,
    };
}
