using System.Globalization;

namespace Tessera.Core.Catalog.Stash;

/// <summary>The cursor of a keyset listing: the last id seen and how many rows came before the next page.</summary>
internal static class KeysetCursor
{
    public static string Format(string lastId, long rowsBefore) =>
        string.Create(CultureInfo.InvariantCulture, $"{ParseId(lastId)}:{rowsBefore}");

    public static (long? AfterId, long RowsBefore) Parse(string cursor)
    {
        var colon = cursor.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && long.TryParse(cursor.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var before)
            ? (ParseId(cursor[..colon]), before)
            : throw new ArgumentException($"not a keyset cursor: '{cursor}'", nameof(cursor));
    }

    private static long ParseId(string id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
        ? n
        : throw new UpstreamException($"Stash answered a non-numeric id '{id}'", transient: false);
}
