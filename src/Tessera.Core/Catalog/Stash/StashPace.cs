namespace Tessera.Core.Catalog.Stash;

/// <summary>Spaces the starts of requests to one upstream at least <c>pace</c> apart, so a large sync never floods it.
/// The first request goes at once; waiting callers queue in order.</summary>
internal sealed class StashPace(TimeSpan pace, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (pace <= TimeSpan.Zero)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wait = _next - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            _next = time.GetUtcNow() + pace;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
