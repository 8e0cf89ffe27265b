using System.Text.RegularExpressions;

namespace Tessera.Core.Redaction;

/// <summary>What may be shown of a provider URL: its user info and the values of secret-looking query keys
/// (<c>key</c>, <c>apikey</c>, <c>token</c>, <c>sig</c>…) become <see cref="Mask"/>. Used wherever a URL is logged,
/// put in a header or an answer, or printed by the CLI.</summary>
public static partial class Redactor
{
    public const string Mask = "REDACTED";

    private static readonly HashSet<string> SecretKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "apikey", "api_key", "api-key", "token", "secret", "sig", "signature", "password", "passwd", "pwd",
        "access_token", "auth", "client_secret", "x-amz-signature", "x-amz-credential", "x-amz-security-token",
    };

    /// <summary>The URL with its secrets masked; the rest (host, path, other query values) unchanged.</summary>
    public static string Url(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return Url(url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString);
    }

    /// <summary>The URL text with its secrets masked (text that is no URL is returned as it is).</summary>
    public static string Url(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = scheme < 0 ? 0 : scheme + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var at = scheme < 0 ? -1 : url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        var text = at < 0 ? url : url[..authorityStart] + Mask + url[at..];
        var query = text.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? text : text[..(query + 1)] + Query(text[(query + 1)..]);
    }

    /// <summary>Free text (an error, a negative entry's detail) with every URL in it masked.</summary>
    public static string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("://", StringComparison.Ordinal) ? UrlInText().Replace(text, m => Url(m.Value)) : text;
    }

    private static string Query(string query)
    {
        var fragment = query.IndexOf('#', StringComparison.Ordinal);
        var (pairs, rest) = fragment < 0 ? (query, "") : (query[..fragment], query[fragment..]);
        var parts = pairs.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && SecretKeys.Contains(Uri.UnescapeDataString(parts[i][..eq])))
            {
                parts[i] = parts[i][..(eq + 1)] + Mask;
            }
        }

        return string.Join('&', parts) + rest;
    }

    [GeneratedRegex("""[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>()]+""")]
    private static partial Regex UrlInText();
}
