using Tessera.Core.Pipeline;

namespace Tessera.Core.Sources.Chain;

/// <summary>Tries an item's steps in order until one yields an original; each outcome is kept, so a failure
/// says what every step found.</summary>
public static class SourceChain
{
    // When every step fails, the item is remembered under the most hopeful reason: a transient one (retried
    // with backoff) before one tied to the content (retried when the source changes or after a day). A missing
    // source file beats "no cover": only an item that exists can lack a cover.
    private static readonly FailureReason[] Priority =
        [FailureReason.Timeout, FailureReason.UpstreamError, FailureReason.TooLarge, FailureReason.DecodeFailed, FailureReason.Blocked, FailureReason.NotFound,
            FailureReason.NoCover];

    public static async Task<ChainResult> ResolveAsync(IReadOnlyList<ISourceStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var outcomes = new List<StepOutcome>(steps.Count);
        foreach (var step in steps)
        {
            var outcome = await step.ResolveAsync(cancellationToken).ConfigureAwait(false);
            outcomes.Add(outcome);
            if (outcome.Found is not null)
            {
                return new ChainResult(outcome.Found, outcomes);
            }
        }

        return new ChainResult(null, outcomes);
    }

    /// <summary>The reason a chain that found nothing is remembered under, and its detail (every step's outcome).</summary>
    public static (FailureReason Reason, string Detail) Failure(IReadOnlyList<StepOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return (FailureReason.NotFound, "no source configured for this item");
        }

        var reason = Priority.FirstOrDefault(r => outcomes.Any(o => o.Reason == r), FailureReason.NotFound);
        return (reason, string.Join("; ", outcomes));
    }
}

public sealed record ChainResult(Original? Original, IReadOnlyList<StepOutcome> Outcomes);
