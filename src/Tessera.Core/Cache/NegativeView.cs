using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Core.Redaction;

namespace Tessera.Core.Cache;

/// <summary>A negative entry as operators see it (CLI --json and /api/negatives): the reason as its wire text, library
/// files relative to their library and provider URLs redacted.</summary>
public sealed record NegativeView(string Item, string Source, string Reason, string Detail, int Attempts,
    DateTimeOffset FirstFailedAt, DateTimeOffset LastFailedAt, DateTimeOffset RetryAt)
{
    public static NegativeView From(NegativeEntry entry, LibraryPaths paths)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(paths);
        return new(paths.Show(entry.Item), entry.Source, FailureReasons.ToText(entry.Reason), paths.Show(entry.Detail), entry.Attempts,
            entry.FirstFailedAt, entry.LastFailedAt, entry.RetryAt);
    }
}
