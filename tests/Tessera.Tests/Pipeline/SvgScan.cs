using System.Text;
using System.Text.RegularExpressions;

namespace Tessera.Tests.Pipeline;

/// <summary>Looks through SVG text for anything that could make a renderer fetch or run something.</summary>
internal static partial class SvgScan
{
    public static IReadOnlyList<string> ExternalReferences(byte[] svg)
    {
        var text = Encoding.UTF8.GetString(svg);
        var found = new List<string>();
        if (text.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) || text.Contains("<!ENTITY", StringComparison.OrdinalIgnoreCase))
        {
            found.Add("DOCTYPE");
        }

        if (FileScheme().IsMatch(text))
        {
            found.Add("file:");
        }

        if (text.Contains("@import", StringComparison.OrdinalIgnoreCase) || text.Contains("<?xml-stylesheet", StringComparison.OrdinalIgnoreCase))
        {
            found.Add("stylesheet import");
        }

        found.AddRange(ScriptOrForeign().Matches(text).Select(m => "element " + m.Value));
        found.AddRange(EventHandler().Matches(text).Select(m => "handler " + m.Value));
        found.AddRange(Reference().Matches(text).Select(m => m.Groups["v"].Value.Trim())
            .Where(v => !v.StartsWith('#') && !SafeData().IsMatch(v)).Select(v => "href " + Shorten(v)));
        found.AddRange(Url().Matches(text).Select(m => m.Groups["t"].Value.Trim())
            .Where(t => !t.StartsWith('#')).Select(t => "url " + Shorten(t)));

        // Any scheme-qualified address outside namespace declarations and comments.
        var stripped = Comment().Replace(NamespaceDeclaration().Replace(text, ""), "");
        if (stripped.Contains("://", StringComparison.Ordinal))
        {
            found.Add("address ://");
        }

        return found;
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    [GeneratedRegex(@"<(?:\w+:)?(?:script|foreignObject|iframe|object|embed|xi:include|include)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrForeign();

    /// <summary>file: as a scheme, not the end of a word (the W3C suite's "$RCSfile: …$" titles).</summary>
    [GeneratedRegex(@"(?<![A-Za-z])file:", RegexOptions.IgnoreCase)]
    private static partial Regex FileScheme();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    [GeneratedRegex(@"(?:href|src)\s*=\s*(?<q>[""'])(?<v>.*?)\k<q>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Reference();

    [GeneratedRegex(@"^data:image/(?:png|jpeg|gif|webp);base64,", RegexOptions.IgnoreCase)]
    private static partial Regex SafeData();

    [GeneratedRegex(@"url\s*\(\s*['""]?(?<t>[^'"")]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"xmlns(?::[\w.-]+)?\s*=\s*(?:""[^""]*""|'[^']*')")]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();
}
