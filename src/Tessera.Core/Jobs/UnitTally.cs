namespace Tessera.Core.Jobs;

/// <summary>A unit's counters and failures as its tasks finish (from several items at once), and when the last one
/// did (for the watchdog).</summary>
internal sealed class UnitTally(long jobId, long tasks, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly List<JobFailure> _failures = [];
    private long _completed, _skipped, _failed, _bytes;
    private long _lastFinished = clock.GetUtcNow().UtcTicks;

    public DateTimeOffset LastFinished => new(Interlocked.Read(ref _lastFinished), TimeSpan.Zero);

    public JobCounts Counts
    {
        get
        {
            lock (_gate)
            {
                return new(tasks, _completed, _skipped, _failed, _bytes);
            }
        }
    }

    public IReadOnlyList<JobFailure> Failures
    {
        get
        {
            lock (_gate)
            {
                return [.. _failures];
            }
        }
    }

    public void Add(string item, TaskOutcome outcome)
    {
        lock (_gate)
        {
            switch (outcome.Result)
            {
                case TaskResult.Completed:
                    _completed++;
                    _bytes += outcome.Bytes;
                    break;
                case TaskResult.Skipped:
                    _skipped++;
                    break;
                default:
                    Fail(item, outcome.Preset, outcome.Reason, outcome.Detail, 1);
                    break;
            }
        }

        Interlocked.Exchange(ref _lastFinished, clock.GetUtcNow().UtcTicks);
    }

    /// <summary><paramref name="count"/> tasks of an item fail at once (an unexpected error in the middle of it).</summary>
    public void Fail(string item, string reason, string detail, long count)
    {
        lock (_gate)
        {
            Fail(item, "*", reason, detail, count);
        }
    }

    /// <summary>Every task not yet counted fails (the watchdog), recorded once.</summary>
    public void FailRest(string item, string reason, string detail)
    {
        lock (_gate)
        {
            var rest = tasks - (_completed + _skipped + _failed);
            if (rest > 0)
            {
                Fail(item, "*", reason, detail, rest);
            }
        }
    }

    private void Fail(string item, string preset, string reason, string detail, long count)
    {
        if (count <= 0)
        {
            return;
        }

        _failed += count;
        _failures.Add(new JobFailure(jobId, item, preset, reason, detail, clock.GetUtcNow()));
    }
}
