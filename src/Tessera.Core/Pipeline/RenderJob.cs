using System.Globalization;
using Tessera.Core.Presets;

namespace Tessera.Core.Pipeline;

/// <summary>One page render handed to the worker process (<c>tessera render-worker</c>): the source file, or with no
/// <see cref="Path"/> a sanitised SVG document on standard input; the box, the encoding and the same pixel limit as
/// the parent. The encoded thumbnail comes back on standard output.</summary>
public sealed record RenderJob(string? Path, int Width, int Height, bool IccToSrgb, OutputFormat Format, int Quality, int? Effort, long MaxPixels)
{
    /// <summary>The worker's command line after the command name; the CLI parses it back with the same names.</summary>
    public IEnumerable<string> Arguments()
    {
        if (Path is not null)
        {
            yield return Path;
        }

        yield return "--width";
        yield return Invariant(Width);
        yield return "--height";
        yield return Invariant(Height);
        yield return "--format";
        yield return Format.ToString();
        yield return "--quality";
        yield return Invariant(Quality);
        if (Effort is { } effort)
        {
            yield return "--effort";
            yield return Invariant(effort);
        }

        yield return "--max-pixels";
        yield return MaxPixels.ToString(CultureInfo.InvariantCulture);
        if (IccToSrgb)
        {
            yield return "--icc";
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
