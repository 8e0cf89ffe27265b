using System.Text;
using System.Text.RegularExpressions;

namespace Tessera.Core.Pipeline;

/// <summary>Removes from CSS (style elements, style attributes, presentation attributes) everything that
/// makes librsvg load another resource: @import and url() that is not a same-document #fragment.</summary>
internal static partial class CssSanitizer
{
    /// <summary>The CSS with @import removed and outside url()s replaced by <c>none</c>; empty when it cannot
    /// be judged safely.</summary>
    public static string Clean(string css)
    {
        // A CSS escape can spell url( or @import in ways a text scan misses; such CSS is rare in drawings.
        if (css.Contains('\\', StringComparison.Ordinal) || OtherFetchingFunction().IsMatch(css))
        {
            return "";
        }

        var withoutImports = Import().Replace(css, "");
        var result = new StringBuilder(withoutImports.Length);
        var at = 0;
        foreach (Match m in UrlStart().Matches(withoutImports))
        {
            if (m.Index < at)
            {
                continue; // inside a url() already handled
            }

            var (target, end) = ReadUrl(withoutImports, m.Index + m.Length);
            result.Append(withoutImports, at, m.Index - at);
            result.Append(IsFragment(target) ? withoutImports.AsSpan(m.Index, end - m.Index) : "none");
            at = end;
        }

        result.Append(withoutImports, at, withoutImports.Length - at);
        return result.ToString();
    }

    /// <summary>True when <see cref="Clean"/> would change nothing.</summary>
    public static bool IsClean(string value) =>
        (!value.Contains("url", StringComparison.OrdinalIgnoreCase) && !value.Contains('\\', StringComparison.Ordinal)
            && !value.Contains('@', StringComparison.Ordinal) && !value.Contains('(', StringComparison.Ordinal))
        || string.Equals(Clean(value), value, StringComparison.Ordinal);

    /// <summary>The url()'s target and the index just past its closing parenthesis (or the end).</summary>
    private static (string Target, int End) ReadUrl(string css, int i)
    {
        while (i < css.Length && char.IsWhiteSpace(css[i]))
        {
            i++;
        }

        string target;
        if (i < css.Length && css[i] is '"' or '\'')
        {
            var close = css.IndexOf(css[i], i + 1);
            close = close < 0 ? css.Length : close;
            target = css[(i + 1)..close];
            i = Math.Min(close + 1, css.Length);
        }
        else
        {
            var close = css.IndexOf(')', i);
            close = close < 0 ? css.Length : close;
            target = css[i..close];
            i = close;
        }

        var paren = css.IndexOf(')', i);
        return (target.Trim(), paren < 0 ? css.Length : paren + 1);
    }

    private static bool IsFragment(string target) => target.StartsWith('#') && !target.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '"' or '\'');

    [GeneratedRegex(@"url\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlStart();

    [GeneratedRegex(@"@import\b[^;]*;?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Import();

    /// <summary>CSS functions that take a URL as a string rather than url().</summary>
    [GeneratedRegex(@"(?<![\w-])(?:-webkit-)?(?:image|image-set|src|cross-fade|element)\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OtherFetchingFunction();
}
