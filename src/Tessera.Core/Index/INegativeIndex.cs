using Tessera.Core.Pipeline;

namespace Tessera.Core.Index;

/// <summary>Persistent negative entries: items that could not be thumbnailed, and when to try them again.</summary>
public interface INegativeIndex
{
    /// <summary>Every entry, for loading into memory at start.</summary>
    Task<IReadOnlyList<NegativeEntry>> LoadNegativesAsync(CancellationToken cancellationToken);

    /// <summary>Entries ordered by item, optionally of one reason, paged.</summary>
    Task<IReadOnlyList<NegativeEntry>> ListNegativesAsync(FailureReason? reason, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>One item's entry, or null: what another replica of a shared index recorded since this one loaded.</summary>
    Task<NegativeEntry?> GetNegativeAsync(string item, CancellationToken cancellationToken);

    Task PutNegativeAsync(NegativeEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes entries: all, those of one reason, or one item (both filters may be given). Returns the rows removed.</summary>
    Task<int> ClearNegativesAsync(FailureReason? reason, string? item, CancellationToken cancellationToken);

    /// <summary>Entry counts by reason, keyed by <see cref="FailureReasons.ToText"/>.</summary>
    Task<IReadOnlyDictionary<string, long>> CountNegativesAsync(CancellationToken cancellationToken);
}

/// <summary>One item that could not be thumbnailed. Size and mtime are the file's at the failure: a stat that
/// differs means the file changed, and it is retried at once. A missing file has size -1.</summary>
public sealed record NegativeEntry(
    string Item,
    string Source,
    FailureReason Reason,
    string Detail,
    int Attempts,
    DateTimeOffset FirstFailedAt,
    DateTimeOffset LastFailedAt,
    DateTimeOffset RetryAt,
    long Size,
    long MtimeTicks);
