namespace Tessera.Core.Jobs;

/// <summary>A unit's counters and failures as its tasks finish, and when the last one did (for the watchdog).</summary>
internal sealed class UnitTally(long jobId, long tasks, TimeProvider clock)
{
    private readonly List<JobFailure> _failures = [];
    private long _completed, _skipped, _failed, _bytes;
    private string _item = string.Empty;
    private int _itemTasks, _itemDone;
    private long _lastFinished = clock.GetUtcNow().UtcTicks;

    public DateTimeOffset LastFinished => new(Interlocked.Read(ref _lastFinished), TimeSpan.Zero);

    public JobCounts Counts => new(tasks, _completed, _skipped, _failed, _bytes);

    public IReadOnlyList<JobFailure> Failures => _failures;

    public void StartItem(string item, int itemTasks) => (_item, _itemTasks, _itemDone) = (item, itemTasks, 0);

    public void Add(TaskOutcome outcome)
    {
        _itemDone++;
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
                Fail(outcome.Preset, outcome.Reason, outcome.Detail, 1);
                break;
        }

        Interlocked.Exchange(ref _lastFinished, clock.GetUtcNow().UtcTicks);
    }

    /// <summary>The current item's tasks not yet counted fail (an unexpected error in the middle of an item).</summary>
    public void FailRestOfItem(string reason, string detail)
    {
        var rest = _itemTasks - _itemDone;
        if (rest > 0)
        {
            Fail("*", reason, detail, rest);
            _itemDone = _itemTasks;
        }
    }

    /// <summary>Every task not yet counted fails (the watchdog), recorded once against the item it stopped at.</summary>
    public void FailRest(string reason, string detail)
    {
        var rest = tasks - Counts.Done;
        if (rest > 0)
        {
            Fail("*", reason, detail, rest);
        }
    }

    private void Fail(string preset, string reason, string detail, long count)
    {
        _failed += count;
        _failures.Add(new JobFailure(jobId, _item, preset, reason, detail, clock.GetUtcNow()));
    }
}
