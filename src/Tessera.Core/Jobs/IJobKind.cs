namespace Tessera.Core.Jobs;

/// <summary>One kind of job (warm, preload, cleanup): how a request becomes a stored job, and how a stored job runs.
/// The engine does the rest: units, leases, counters, failures, phases.</summary>
public interface IJobKind
{
    string Name { get; }

    /// <summary>The job's canonical scope and spec, or <see cref="JobRequestException"/> for a request that cannot run.</summary>
    JobDefinition Define(JobRequest request);

    /// <summary>The stored job, ready to run here (its spec parsed, its library found).</summary>
    IJobRun Open(JobRecord job);
}

/// <summary>What a job covers (duplicate refusal compares kind + scope) and its parameters as JSON.</summary>
public sealed record JobDefinition(string Scope, string Spec);

/// <summary>One job being run: discovery lists its items in a stable order after a cursor, processing does one item's
/// tasks (item × preset × format), clean-up runs once at the end.</summary>
public interface IJobRun
{
    /// <summary>Tasks each item makes (presets × formats), so a unit knows its total before it runs.</summary>
    int TasksPerItem { get; }

    /// <summary>The items after <paramref name="cursor"/> (null: from the start), each with the cursor it leaves.</summary>
    IAsyncEnumerable<DiscoveredItem> DiscoverAsync(string? cursor, CancellationToken cancellationToken);

    /// <summary>One item's tasks, one outcome each.</summary>
    IAsyncEnumerable<TaskOutcome> ProcessAsync(string item, CancellationToken cancellationToken);

    Task CleanupAsync(CancellationToken cancellationToken);
}

public sealed record DiscoveredItem(string Item, string Cursor);

public enum TaskResult
{
    Completed,
    Skipped,
    Failed,
}

/// <summary>How one task went; a failure names the preset, the reason (as the negative cache says it) and detail.</summary>
public sealed record TaskOutcome(TaskResult Result, string Preset, long Bytes = 0, string Reason = "", string Detail = "")
{
    public static TaskOutcome Failed(string preset, string reason, string detail) => new(TaskResult.Failed, preset, 0, reason, detail);
}
