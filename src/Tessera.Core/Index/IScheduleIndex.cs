namespace Tessera.Core.Index;

/// <summary>Timed triggers shared by replicas of one index: a schedule fires on the replica that moves its stored next
/// run time first (a compare-and-set), so a fleet warms once per period, not once per replica. An index used by one
/// process (SQLite) has none, and every due schedule fires.</summary>
public interface IScheduleIndex
{
    /// <summary>Fires <paramref name="schedule"/> when its stored next run time is absent or not after
    /// <paramref name="now"/>, setting it to <paramref name="nextRun"/>; true for the one caller that did.</summary>
    Task<bool> TryFireAsync(string schedule, DateTimeOffset now, DateTimeOffset nextRun, CancellationToken cancellationToken);
}
