using Tessera.Core.Index;
using Tessera.Core.Pipeline;

namespace Tessera.Core.Cache;

/// <summary>A negative entry as operators see it (CLI --json and /api/negatives): the reason as its wire text.</summary>
public sealed record NegativeView(string Item, string Source, string Reason, string Detail, int Attempts,
    DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt, DateTimeOffset RetryAt)
{
    public static NegativeView From(NegativeEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Item, entry.Source, FailureReasons.ToText(entry.Reason), entry.Detail, entry.Attempts,
            entry.FirstFailedAt, entry.LastFailedAt, entry.RetryAt);
    }
}
