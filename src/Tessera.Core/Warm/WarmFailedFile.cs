namespace Tessera.Core.Warm;

/// <summary>A file a warm run could not render, once, with every preset it failed at. The reason and detail are
/// those of its first failed rendition (one broken source fails every preset the same way), on one line.</summary>
public sealed record WarmFailedFile(string Path, IReadOnlyList<string> Presets, string Reason, string Detail)
{
    /// <summary>The failures grouped by file, in path order.</summary>
    public static IReadOnlyList<WarmFailedFile> Group(IEnumerable<WarmFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return [.. failures
            .GroupBy(f => f.Path, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new WarmFailedFile(g.Key, [.. g.Select(f => f.Preset).Distinct(StringComparer.Ordinal)],
                g.First().Reason, OneLine(g.First().Detail)))];
    }

    /// <summary>libvips joins its messages with newlines; a list line holds them joined with "; ".</summary>
    private static string OneLine(string text) =>
        string.Join("; ", text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
