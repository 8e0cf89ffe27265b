namespace Tessera.Core.Catalog;

/// <summary>The orphan guards: a full listing may soft-delete the rows it did not see only when it is certainly
/// complete. A network failure mid-listing once soft-deleted every scene of a Peek install; Seerr and Streamystats
/// deleted on partial listings. Each guard says why it refused, and the sync records it.</summary>
public static class CatalogSweep
{
    /// <summary>Why the sweep must not delete, or null when it may.</summary>
    /// <param name="failure">Why the listing stopped early (the upstream failed), or null when every page was answered.</param>
    /// <param name="seen">Entities the listing returned.</param>
    /// <param name="listedTotal">The upstream's total as its last page said.</param>
    /// <param name="countAtStart">The upstream's count before the listing.</param>
    /// <param name="countAtEnd">The upstream's count after it (null when it could not be asked).</param>
    /// <param name="live">Live rows stored for the type.</param>
    public static string? WhyNot(string? failure, long seen, long listedTotal, long countAtStart, long? countAtEnd, long live)
    {
        if (failure is not null)
        {
            return $"unreachable: {failure}";
        }

        if (countAtEnd is not { } end)
        {
            return "unreachable: the upstream's count after the listing is unknown";
        }

        if (seen == 0 && live > 0)
        {
            return $"empty listing: the upstream listed nothing while {live} live rows exist";
        }

        if (seen < listedTotal)
        {
            return $"short listing: {seen} listed of the {listedTotal} the upstream reported";
        }

        if (seen != countAtStart || seen != end)
        {
            return $"count mismatch: {seen} listed, the upstream counted {countAtStart} before and {end} after";
        }

        return null;
    }
}
