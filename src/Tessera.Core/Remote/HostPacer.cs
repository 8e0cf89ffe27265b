namespace Tessera.Core.Remote;

/// <summary>Requests per minute per configured host (a provider's published limit, e.g. Discogs' 60), evenly spaced:
/// each fetch takes the next free slot and waits for it, in order; a slot further off than the bound is refused at
/// once rather than left hanging. Only listed hosts are paced, so the table never grows with traffic.</summary>
internal sealed class HostPacer
{
    private readonly Dictionary<string, Slots> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeSpan _maxWait;
    private readonly TimeProvider _time;

    public HostPacer(IReadOnlyDictionary<string, int> requestsPerMinute, TimeSpan maxWait, TimeProvider time)
    {
        _maxWait = maxWait;
        _time = time;
        foreach (var (host, perMinute) in requestsPerMinute)
        {
            if (perMinute > 0)
            {
                _hosts[HostPattern.Normalize(host)] = new Slots(TimeSpan.FromMinutes(1) / perMinute);
            }
        }
    }

    /// <summary>Null when the request may go now (after waiting its turn), else why it may not.</summary>
    public async ValueTask<FetchResult.Failed?> WaitTurnAsync(string host, CancellationToken ct)
    {
        if (!_hosts.TryGetValue(host, out var slots))
        {
            return null;
        }

        TimeSpan wait;
        lock (slots)
        {
            var now = _time.GetUtcNow();
            var slot = slots.NextFree > now ? slots.NextFree : now;
            wait = slot - now;
            if (wait > _maxWait)
            {
                return new FetchResult.Failed(RemoteFailure.Upstream,
                    $"{host} is paced to one request every {slots.Interval.TotalSeconds:0.###} s and its turn is {wait.TotalSeconds:0} s away (the bound is {_maxWait.TotalSeconds:0.###} s)",
                    wait);
            }

            slots.NextFree = slot + slots.Interval;
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, ct).ConfigureAwait(false);
        }

        return null;
    }

    private sealed class Slots(TimeSpan interval)
    {
        public TimeSpan Interval { get; } = interval;

        public DateTimeOffset NextFree { get; set; }
    }
}
