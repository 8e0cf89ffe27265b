using Microsoft.Extensions.Logging;

namespace Tessera.Index.Postgres;

/// <summary>The PostgreSQL index's log messages: event ids 5xxx.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 5001, EventName = "PostgresIndexOpened", Level = LogLevel.Information,
        Message = "The index is PostgreSQL {Where}: schema version {From} → {Latest}")]
    public static partial void Opened(ILogger logger, string where, int from, int latest);
}
