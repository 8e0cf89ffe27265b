namespace Tessera.Core.Health;

/// <summary>Whether each configured folder library is there and readable: a vanished mount or a folder that lost its
/// permissions turns readiness off and names the library.</summary>
public static class LibraryFolders
{
    public static HealthCheck Check(IReadOnlyDictionary<string, string> libraries)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        var problems = libraries.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => Problem(l.Key, l.Value))
            .OfType<string>()
            .ToList();
        return problems.Count == 0
            ? new HealthCheck("libraries", true, $"{libraries.Count} folder libraries readable")
            : new HealthCheck("libraries", false, string.Join("; ", problems));
    }

    /// <summary>What is wrong with one library's folder, or null when it can be listed.</summary>
    public static string? Problem(string name, string path)
    {
        if (!Directory.Exists(path))
        {
            return $"library '{name}': folder {path} is missing";
        }

        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            _ = entries.MoveNext();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"library '{name}': folder {path} is unreadable: {e.Message}";
        }
    }
}
