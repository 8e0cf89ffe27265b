using Microsoft.Extensions.Logging;

namespace Tessera.Index.Sqlite;

internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 1101, EventName = "IndexCorrupt", Level = LogLevel.Error,
        Message = "The index {Path} is damaged ({Error}); moved it to {Aside} and rebuilding it from the rendition files")]
    public static partial void IndexCorrupt(ILogger logger, string path, string error, string aside);
}
