using Microsoft.Extensions.Logging;

namespace Tessera.Core.Jobs;

internal static partial class JobLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Job {Id} ({Kind}) {Status}")]
    public static partial void Finished(ILogger logger, long id, string kind, JobStatus status);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Job {Id} failed: {Error}")]
    public static partial void JobFailed(ILogger logger, long id, string error);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Job {Id}: unit {Unit} lost its lease; another worker has it")]
    public static partial void LeaseLost(ILogger logger, long id, long unit);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Job {Id}: unit {Unit} had no finished task for {Watchdog}; its remaining {Tasks} tasks failed (watchdog)")]
    public static partial void Watchdog(ILogger logger, long id, long unit, TimeSpan watchdog, long tasks);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Jobs: the index failed ({Error}); retrying with backoff, further failures are logged at most every 5 minutes")]
    public static partial void IndexFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Queued job {Id}: {Kind} {Scope} ({Trigger})")]
    public static partial void Queued(ILogger logger, long id, string kind, string scope, JobTrigger trigger);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Watching library {Library} failed ({Error}); its changes are warmed by the schedule instead")]
    public static partial void WatchFailed(ILogger logger, string library, string error);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Job trigger failed: {Error}")]
    public static partial void TriggerFailed(ILogger logger, string error);
}
