namespace Tessera.Server.Background;

/// <summary>How one background loop is doing: since when it has been failing, how often, and its last error.
/// Written by the loop, read by readiness; a lock keeps the three fields consistent.</summary>
public sealed class LoopState(string name, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _failingSince;
    private int _failures;
    private string _lastError = string.Empty;

    public string Name { get; } = name;

    public TimeSpan Interval { get; } = interval;

    /// <summary>Records a failed run; returns the consecutive failure count, this one included.</summary>
    public int Failed(DateTimeOffset now, string error)
    {
        lock (_lock)
        {
            _failingSince ??= now;
            _lastError = error;
            return ++_failures;
        }
    }

    /// <summary>Records a good run; returns how many failures it ends (0 when the loop was fine).</summary>
    public int Succeeded()
    {
        lock (_lock)
        {
            var ended = _failures;
            _failingSince = null;
            _failures = 0;
            _lastError = string.Empty;
            return ended;
        }
    }

    /// <summary>The failure to report when the loop has been failing for at least <paramref name="threshold"/>.</summary>
    public string? FailureOlderThan(DateTimeOffset now, TimeSpan threshold)
    {
        lock (_lock)
        {
            if (_failingSince is not { } since || now - since < threshold)
            {
                return null;
            }

            return $"{Name} failing for {(int)(now - since).TotalSeconds} s ({_failures} failures): {_lastError}";
        }
    }
}
