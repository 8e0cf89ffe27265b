using System.Globalization;

namespace Tessera.Core.Catalog.Stash;

/// <summary>Stash's Time scalar as Go writes it (RFC 3339, second precision, <c>Z</c> for a zero offset), so a criterion
/// value compares with Stash's own text.</summary>
public static class StashTime
{
    public static string Format(DateTimeOffset time) => time.Offset == TimeSpan.Zero
        ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
