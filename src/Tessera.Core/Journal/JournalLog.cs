using Microsoft.Extensions.Logging;

namespace Tessera.Core.Journal;

internal static partial class JournalLog
{
    [LoggerMessage(EventId = 1150, Level = LogLevel.Warning, Message = "Restored {Changes} item changes and {Negatives} negative entries from the journal {Path}")]
    public static partial void Replayed(ILogger logger, int changes, int negatives, string path);

    [LoggerMessage(EventId = 1151, Level = LogLevel.Warning, Message = "Skipped line {Line} of the journal {Path}: {Error}")]
    public static partial void BadLine(ILogger logger, string path, int line, string error);

    [LoggerMessage(EventId = 1152, Level = LogLevel.Information, Message = "Compacted the journal {Path} from {Before} to {After} bytes ({Records} records)")]
    public static partial void Compacted(ILogger logger, string path, long before, long after, long records);

    [LoggerMessage(EventId = 1153, Level = LogLevel.Warning, Message = "Could not compact the journal {Path}; it stays as it is: {Error}")]
    public static partial void CompactFailed(ILogger logger, string path, string error);
}
