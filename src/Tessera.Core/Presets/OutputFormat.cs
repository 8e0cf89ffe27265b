namespace Tessera.Core.Presets;

/// <summary>A preset's output format; <see cref="Auto"/> picks one from the request's Accept header.</summary>
public enum OutputFormat
{
    WebP,
    Jpeg,
    Png,
    Avif,
    Auto,
}
