namespace Tessera.Tests.Support;

/// <summary>The shared third-party corpus, from TESSERA_CORPUS or ../shared/corpus beside the repository.
/// Tests that need it fail with a clear message when it is absent, never pass silently.</summary>
public static class Corpus
{
    public static string Root { get; } = Locate();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static IEnumerable<string> Files(string group) =>
        Directory.EnumerateFiles(System.IO.Path.Combine(Root, group)).OrderBy(f => f, StringComparer.Ordinal);

    public static TheoryData<string> Theory(string group, Func<string, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        foreach (var f in Files(group).Where(f => filter?.Invoke(f) ?? true))
        {
            data.Add(System.IO.Path.GetRelativePath(Root, f));
        }

        return data;
    }

    private static string Locate()
    {
        var env = Environment.GetEnvironmentVariable("TESSERA_CORPUS");
        var candidate = !string.IsNullOrEmpty(env) ? env : System.IO.Path.Combine(RepoRoot.Path, "..", "shared", "corpus");
        var full = System.IO.Path.GetFullPath(candidate);
        if (!Directory.Exists(System.IO.Path.Combine(full, "photos")))
        {
            throw new InvalidOperationException(
                $"The test corpus was not found at {full}. Set TESSERA_CORPUS to the corpus folder (it holds photos/, exif/, formats/, malformed/).");
        }

        return full;
    }
}
