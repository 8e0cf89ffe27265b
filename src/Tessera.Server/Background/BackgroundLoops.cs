using System.Collections.Concurrent;
using Tessera.Core.Index;

namespace Tessera.Server.Background;

/// <summary>Every background loop's state, by name, for the "background" readiness check.</summary>
public sealed class BackgroundLoops(TimeProvider clock, IIndexAvailability? index = null)
{
    private readonly ConcurrentDictionary<string, LoopState> _loops = new(StringComparer.Ordinal);

    public TimeProvider Clock { get; } = clock;

    /// <summary>True while the index is read-only for lack of space: the loops (which all write it) skip their rounds,
    /// keeping what they hold in memory, rather than fail every round.</summary>
    public bool IndexReadOnly => index?.ReadOnlyReason is not null;

    public LoopState Register(string name, TimeSpan interval) => _loops.GetOrAdd(name, n => new LoopState(n, interval));

    /// <summary>A loop is reported once it has been failing for two of its intervals (one bad run is not an outage),
    /// and at least <see cref="MinimumThreshold"/>.</summary>
    public IReadOnlyList<string> Failing()
    {
        var now = Clock.GetUtcNow();
        return [.. _loops.Values.OrderBy(l => l.Name, StringComparer.Ordinal)
            .Select(l => l.FailureOlderThan(now, Threshold(l.Interval)))
            .OfType<string>()];
    }

    public IReadOnlyList<string> Names => [.. _loops.Keys.Order(StringComparer.Ordinal)];

    public static TimeSpan MinimumThreshold { get; } = TimeSpan.FromSeconds(1);

    private static TimeSpan Threshold(TimeSpan interval) => interval * 2 > MinimumThreshold ? interval * 2 : MinimumThreshold;
}
