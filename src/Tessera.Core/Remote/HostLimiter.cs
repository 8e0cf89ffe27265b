namespace Tessera.Core.Remote;

/// <summary>At most N concurrent attempts per host name, whatever the port or scheme (the handler's own limit is per
/// origin). Entries are reference-counted and dropped when idle, so many one-off hosts do not accumulate.</summary>
internal sealed class HostLimiter(int perHost)
{
    private readonly Dictionary<string, Entry> _hosts = new(StringComparer.Ordinal);

    public int TrackedHosts
    {
        get
        {
            lock (_hosts)
            {
                return _hosts.Count;
            }
        }
    }

    public async ValueTask<IDisposable> EnterAsync(string host, CancellationToken ct)
    {
        Entry entry;
        lock (_hosts)
        {
            if (!_hosts.TryGetValue(host, out entry!))
            {
                entry = new Entry(new SemaphoreSlim(perHost, perHost));
                _hosts.Add(host, entry);
            }

            entry.Users++;
        }

        try
        {
            await entry.Gate.WaitAsync(ct);
        }
        catch
        {
            Leave(host, entry, release: false);
            throw;
        }

        return new Lease(this, host, entry);
    }

    private void Leave(string host, Entry entry, bool release)
    {
        if (release)
        {
            entry.Gate.Release();
        }

        lock (_hosts)
        {
            if (--entry.Users == 0)
            {
                _hosts.Remove(host);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Entry(SemaphoreSlim gate)
    {
        public SemaphoreSlim Gate { get; } = gate;

        public int Users { get; set; }
    }

    private sealed class Lease(HostLimiter owner, string host, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(host, entry, release: true);
            }
        }
    }
}
