using System.Globalization;
using Microsoft.AspNetCore.Http;
using Tessera.Core.Catalog;

namespace Tessera.Server.Catalog;

/// <summary>A browse request's query string checked and turned into a <see cref="CatalogQuery"/>, or the reason it is
/// refused (400). Unknown parameters are refused too: a misspelt filter must not silently widen the answer.</summary>
public static class CatalogQueryParser
{
    public const int MaxPerPage = 500;
    public static readonly IReadOnlyList<string> Sorts = ["title", "date", "rating", "duration", "size", "count", "updated", "created", "id"];
    private static readonly string[] Known = ["page", "perPage", "sort", "dir", "q", "tag", "studio", "performer", "group", "ratingMin", "ratingMax", "dateFrom", "dateTo", "user"];

    public static (CatalogQuery? Query, string? Problem) Parse(string catalog, string type, IQueryCollection query)
    {
        if (query.Keys.FirstOrDefault(k => !Known.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return (null, $"unknown parameter '{Trim(unknown)}'; allowed: {string.Join(", ", Known)}");
        }

        if (query.Keys.FirstOrDefault(k => k is not ("tag" or "studio" or "performer" or "group") && query[k].Count > 1) is { } repeated)
        {
            return (null, $"'{repeated}' may be given once");
        }

        string? problem = null;
        var page = Int(query, "page", 1, 1, 1_000_000, ref problem);
        var perPage = Int(query, "perPage", 50, 1, MaxPerPage, ref problem);
        var ratingMin = OptionalInt(query, "ratingMin", 0, 100, ref problem);
        var ratingMax = OptionalInt(query, "ratingMax", 0, 100, ref problem);
        var sort = query["sort"].ToString() is { Length: > 0 } s ? s : "title";
        if (!Sorts.Contains(sort, StringComparer.Ordinal))
        {
            problem ??= $"sort '{Trim(sort)}' is not one of {string.Join(", ", Sorts)}";
        }

        var dir = query["dir"].ToString() is { Length: > 0 } d ? d : "asc";
        if (dir is not ("asc" or "desc"))
        {
            problem ??= $"dir '{Trim(dir)}' must be asc or desc";
        }

        var text = query["q"].ToString();
        if (text.Length > 200)
        {
            problem ??= "q is longer than 200 characters";
        }

        var dateFrom = Date(query, "dateFrom", ref problem);
        var dateTo = Date(query, "dateTo", ref problem);
        var user = query["user"].ToString();
        if (user.Length > 0 && !IsUserName(user))
        {
            problem ??= "user must be 1-64 printable characters without '/'";
        }

        var tags = Ids(query, "tag", ref problem);
        var studios = Ids(query, "studio", ref problem);
        var performers = Ids(query, "performer", ref problem);
        var groups = Ids(query, "group", ref problem);
        if (problem is not null)
        {
            return (null, problem);
        }

        return (new CatalogQuery(catalog, type, page, perPage, sort, dir == "desc", text.Trim().Length == 0 ? null : text.Trim(), tags, studios, performers, groups,
            ratingMin, ratingMax, dateFrom, dateTo, user.Length == 0 ? null : user), null);
    }

    public static bool IsUserName(string user) => user.Length is >= 1 and <= 64 && !user.Contains('/', StringComparison.Ordinal) && !user.Any(char.IsControl);

    public static bool IsId(string id) => id.Length is >= 1 and <= 64 && !id.Any(char.IsControl);

    private static int Int(IQueryCollection query, string name, int fallback, int min, int max, ref string? problem) =>
        OptionalInt(query, name, min, max, ref problem) ?? fallback;

    private static int? OptionalInt(IQueryCollection query, string name, int min, int max, ref string? problem)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problem ??= $"{name} must be a whole number from {min} to {max}";
        return null;
    }

    private static string? Date(IQueryCollection query, string name, ref string? problem)
    {
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return text;
        }

        problem ??= $"{name} must be a date as YYYY-MM-DD";
        return null;
    }

    private static List<string>? Ids(IQueryCollection query, string name, ref string? problem)
    {
        var values = query[name];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 20 || values.Any(v => v is null || !IsId(v)))
        {
            problem ??= $"'{name}' takes up to 20 ids of 1-64 characters each";
            return null;
        }

        return [.. values.Select(v => v!)];
    }

    private static string Trim(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
