using Tessera.Core.Sources;

namespace Tessera.Core.Redaction;

/// <summary>Server paths as operators and apps see them: a file of a library as <c>LIBRARY/relative/path</c>, never the
/// absolute path it has on this machine, and URLs redacted (<see cref="Redactor"/>).</summary>
public sealed class LibraryPaths(IReadOnlyDictionary<string, FolderLibrary> libraries)
{
    /// <summary>Longest roots first, so a library nested in another is named by the inner one.</summary>
    private readonly (string Root, string Name)[] _roots =
        [.. libraries.Values.Select(l => (Root: l.Root.TrimEnd('/') + "/", l.Name)).OrderByDescending(r => r.Root.Length)];

    /// <summary>Text with library paths relative to their library and URLs redacted.</summary>
    public string Show(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (root, name) in _roots)
        {
            text = text.Replace(root, name + "/", StringComparison.Ordinal);
        }

        return Redactor.Text(text);
    }

    /// <summary>The absolute path a shown <c>LIBRARY/relative/path</c> names (the reverse of <see cref="Show"/>), or
    /// the text unchanged when it names no library file.</summary>
    public string Unshow(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && libraries.TryGetValue(text[..slash], out var library)
            ? library.Root.TrimEnd('/') + "/" + text[(slash + 1)..]
            : text;
    }
}
