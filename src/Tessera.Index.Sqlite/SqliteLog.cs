using Microsoft.Extensions.Logging;

namespace Tessera.Index.Sqlite;

internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 1101, EventName = "IndexCorrupt", Level = LogLevel.Error,
        Message = "The index {Path} is damaged ({Error}); moved it to {Aside} and rebuilding it from the rendition files")]
    public static partial void IndexCorrupt(ILogger logger, string path, string error, string aside);

    [LoggerMessage(EventId = 1103, EventName = "BundledSqlite", Level = LogLevel.Warning,
        Message = "The index uses the SQLite bundled with Microsoft.Data.Sqlite; if libvips loads its openslide module (which brings the system libsqlite3) the process can crash. Call Tessera.Index.Sqlite.SqliteLibrary.UseSystemLibrary() at start, before any SQLite use")]
    public static partial void BundledSqlite(ILogger logger);

    [LoggerMessage(EventId = 1110, EventName = "IndexDegraded", Level = LogLevel.Warning,
        Message = "The index {Path} cannot be opened read-write: {Reason}. Serving what is stored; nothing is written or generated until it reopens")]
    public static partial void Degraded(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1111, EventName = "IndexReopened", Level = LogLevel.Information,
        Message = "The index {Path} is writable again: left read-only mode, generating and recording as usual")]
    public static partial void Reopened(ILogger logger, string path);
}
