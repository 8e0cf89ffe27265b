namespace Tessera.Core.Cache;

/// <summary>The priority of one run of shared work (a single-flight generation or extraction). It starts as its
/// first caller's and only ever rises: a live request that joins a background run promotes it, and a slot wait
/// of that run still queued moves to the live queue, so the request never waits behind job work.</summary>
public sealed class FlightPriority(WorkPriority initial)
{
    private readonly Lock _gate = new();
    private WorkPriority _value = initial;
    private Action? _promoted;

    /// <summary>A fixed live priority, for callers that have no run to share.</summary>
    public static FlightPriority Live { get; } = new(WorkPriority.Live);

    public WorkPriority Value
    {
        get
        {
            lock (_gate)
            {
                return _value;
            }
        }
    }

    /// <summary>Raises the run to <see cref="WorkPriority.Live"/>; whoever waits on its behalf is told once.</summary>
    public void Promote()
    {
        Action? promoted;
        lock (_gate)
        {
            if (_value == WorkPriority.Live)
            {
                return;
            }

            _value = WorkPriority.Live;
            promoted = _promoted;
            _promoted = null;
        }

        promoted?.Invoke();
    }

    /// <summary>Calls <paramref name="action"/> when the run is promoted, or now when it already is live.</summary>
    internal void OnPromoted(Action action)
    {
        lock (_gate)
        {
            if (_value == WorkPriority.Background)
            {
                _promoted += action;
                return;
            }
        }

        action();
    }

    internal void Forget(Action action)
    {
        lock (_gate)
        {
            _promoted -= action;
        }
    }
}
