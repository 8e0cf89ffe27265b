using System.Globalization;
using System.Text;

namespace Tessera.Index.Postgres;

/// <summary>Search as SQLite's FTS5 (unicode61, remove_diacritics) does it, on PostgreSQL without an extension: the
/// writer folds the title's and details' words (letters, digits; lower case; accents removed) into the row's
/// <c>search</c> tsvector, and what a user typed becomes a tsquery of the same folded words, every one required and
/// the last one a prefix (search as you type). Words are quoted lexemes of letters and digits only, so nothing typed is
/// ever tsquery syntax.</summary>
internal static class PostgresCatalogSearch
{
    /// <summary>Longer words are left out of the vector (a lexeme is at most 2 KB; no one searches for them).</summary>
    private const int MaxWord = 256;

    /// <summary>The row's words, distinct, space separated (<c>array_to_tsvector(string_to_array(…, ' '))</c>).</summary>
    public static string Words(string title, string? details) =>
        string.Join(' ', Fold(title).Concat(Fold(details)).Where(w => w.Length <= MaxWord).Distinct(StringComparer.Ordinal));

    /// <summary>The tsquery for what a user typed, or null when it has no letter or digit to search for (as on SQLite:
    /// at most 16 terms).</summary>
    public static string? ToQuery(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(16).SelectMany(Fold).ToList();
        if (words.Count == 0)
        {
            return null;
        }

        var query = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            query.Append(i > 0 ? " & '" : "'").Append(words[i]).Append('\'');
        }

        return query.Append(":*").ToString();
    }

    /// <summary>The folded words of a text: decomposed, combining marks dropped, lower case, split at anything that is
    /// not a letter, a digit or a private-use character (unicode61's token characters).</summary>
    private static IEnumerable<string> Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            yield break;
        }

        var word = new StringBuilder();
        foreach (var ch in Decompose(text))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(ch) || char.IsNumber(ch) || char.IsSurrogate(ch) || category == UnicodeCategory.PrivateUse)
            {
                word.Append(char.ToLowerInvariant(ch));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }

    /// <summary>Decomposed (é → e + ´); text that is not valid UTF-16 (a lone surrogate) stays as it is.</summary>
    private static string Decompose(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormD);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }
}
