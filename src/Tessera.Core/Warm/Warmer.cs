using Tessera.Core.Presets;

namespace Tessera.Core.Warm;

/// <summary>What warming means for a preset. The warming itself is a job (Core/Jobs: <c>warm</c>), for the server and
/// for <c>tessera warm</c> alike.</summary>
public static class Warmer
{
    /// <summary>The formats a preset is warmed in: its own, or for "auto" the ones browsers ask for.</summary>
    public static IReadOnlyList<OutputFormat> FormatsOf(Preset preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return preset.Format == OutputFormat.Auto ? [OutputFormat.Avif, OutputFormat.WebP] : [Formats.Resolve(preset.Format, null)];
    }
}
