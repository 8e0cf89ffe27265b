using Tessera.Core.Pipeline;

namespace Tessera.Core.Sources.Chain;

/// <summary>A provider URL when remote fetching is off: the step says so instead of failing silently.</summary>
internal sealed class UnavailableStep(Uri url) : ISourceStep
{
    public string Name => Steps.Remote;

    public Task<StepOutcome> ResolveAsync(CancellationToken cancellationToken) =>
        Task.FromResult(StepOutcome.Failed(Steps.Remote, FailureReason.Blocked, $"remote sources are disabled ({url.Host})"));
}
