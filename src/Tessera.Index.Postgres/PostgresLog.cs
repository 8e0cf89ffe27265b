using Microsoft.Extensions.Logging;

namespace Tessera.Index.Postgres;

/// <summary>The PostgreSQL index's log messages: event ids 5xxx.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 5001, EventName = "PostgresIndexOpened", Level = LogLevel.Information,
        Message = "The index is PostgreSQL {Where}: schema version {From} → {Latest}")]
    public static partial void Opened(ILogger logger, string where, int from, int latest);

    [LoggerMessage(EventId = 5010, EventName = "InvalidationListening", Level = LogLevel.Information,
        Message = "Listening for other replicas' invalidations on {Channel}")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(EventId = 5011, EventName = "InvalidationListenerLost", Level = LogLevel.Warning,
        Message = "The invalidation listener on {Channel} lost its connection; in-memory caches dropped, retrying in {Seconds} s: {Reason}")]
    public static partial void ListenerLost(ILogger logger, string channel, double seconds, string reason);

    [LoggerMessage(EventId = 5012, EventName = "InvalidationNotifyFailed", Level = LogLevel.Error,
        Message = "Could not tell other replicas of a {Kind} invalidation (their memory may stay stale until they reconnect or restart): {Reason}")]
    public static partial void NotifyFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(EventId = 5013, EventName = "InvalidationPayloadUnreadable", Level = LogLevel.Warning,
        Message = "An invalidation payload of {Length} characters could not be read; in-memory caches dropped")]
    public static partial void BadPayload(ILogger logger, int length);

    [LoggerMessage(EventId = 5014, EventName = "InvalidationApplyFailed", Level = LogLevel.Warning,
        Message = "Applying a {Kind} invalidation failed: {Reason}")]
    public static partial void ApplyFailed(ILogger logger, string kind, string reason);
}
