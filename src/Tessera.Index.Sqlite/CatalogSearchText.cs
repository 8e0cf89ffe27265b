using System.Text;

namespace Tessera.Index.Sqlite;

/// <summary>Turns what a user typed into a safe FTS5 query: every term quoted (so AND, OR, NOT, NEAR, quotes, stars and
/// parentheses are only text), all terms required, and the last one a prefix (search as you type). Raw FTS syntax is
/// never passed through.</summary>
internal static class CatalogSearchText
{
    /// <summary>The FTS5 query, or null when the text has no letter or digit to search for.</summary>
    public static string? ToMatch(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var terms = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t.Any(char.IsLetterOrDigit))
            .Take(16)
            .ToList();
        if (terms.Count == 0)
        {
            return null;
        }

        var match = new StringBuilder();
        for (var i = 0; i < terms.Count; i++)
        {
            if (i > 0)
            {
                match.Append(' ');
            }

            match.Append('"').Append(terms[i].Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            if (i == terms.Count - 1)
            {
                match.Append('*');
            }
        }

        return match.ToString();
    }
}
