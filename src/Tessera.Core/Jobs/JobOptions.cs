namespace Tessera.Core.Jobs;

/// <summary>How background jobs run in this process (the Jobs:* settings). Durations off (null) disable a trigger.</summary>
public sealed class JobOptions
{
    /// <summary>Whether this process runs jobs at all (Jobs:Enabled; the server's engine and triggers).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Units a job runs at once on this process (Jobs:Concurrency; Listenarr's three decodes). Within a
    /// unit, tasks run one at a time; the encode limiter's background share is the real CPU bound.</summary>
    public int Concurrency { get; set; } = 3;

    /// <summary>Items per work unit (Jobs:UnitSize): at most this much work is redone after a crash.</summary>
    public int UnitSize { get; set; } = 200;

    /// <summary>How long a lease lasts (Jobs:LeaseTime); a timer per lease renews it every third of this.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A unit with no finished task for this long fails its remaining tasks ("watchdog"; Jobs:Watchdog).</summary>
    public TimeSpan Watchdog { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Failures a job keeps as a listable sample (Jobs:FailureSample); the failed counter counts them all.</summary>
    public int FailureSample { get; set; } = 1000;

    /// <summary>Delay after start before each folder library is warmed (Jobs:WarmAtStart); null: off.</summary>
    public TimeSpan? WarmAtStart { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often folder libraries are warmed again (Jobs:WarmEvery); null: off.</summary>
    public TimeSpan? WarmEvery { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often a cleanup job runs (Jobs:CleanupEvery); null (the default): never on its own.</summary>
    public TimeSpan? CleanupEvery { get; set; }

    /// <summary>Whether folder libraries are watched for changes, each change warmed (Jobs:WatchLibraries).</summary>
    public bool WatchLibraries { get; set; } = true;

    /// <summary>How long changes are gathered before one warm job of the changed paths is queued.</summary>
    public TimeSpan WatchCoalesce { get; set; } = TimeSpan.FromSeconds(2);

    public void Validate()
    {
        if (Concurrency < 1 || UnitSize < 1 || FailureSample < 0 || LeaseTime < TimeSpan.FromSeconds(1) || Watchdog <= TimeSpan.Zero)
        {
            throw new ArgumentException("Jobs needs Concurrency >= 1, UnitSize >= 1, FailureSample >= 0, LeaseTime >= 1s and Watchdog > 0");
        }
    }
}
