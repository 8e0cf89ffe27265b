namespace Tessera.Cli.Commands;

/// <summary>A route path to sign, as Tessera sees it (percent-decoded; an id's "/" written "%2F"), and its URL form.</summary>
internal static class RoutePath
{
    public static string Check(string path)
    {
        if (!(path.StartsWith("/t/", StringComparison.Ordinal) || path.StartsWith("/i/", StringComparison.Ordinal) || path.StartsWith("/c/", StringComparison.Ordinal))
            || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{path}' is not a /t/, /i/ or /c/ path without a query");
        }

        return path;
    }

    /// <summary>Each segment percent-encoded for the URL; "%2F" (a slash inside an id) is kept as it is.</summary>
    public static string Escape(string path) =>
        string.Join('/', path.Split('/').Select(segment =>
            string.Join("%2F", segment.Split("%2F", StringSplitOptions.None).Select(Uri.EscapeDataString))));
}
