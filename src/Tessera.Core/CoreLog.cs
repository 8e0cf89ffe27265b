using Microsoft.Extensions.Logging;

namespace Tessera.Core;

internal static partial class CoreLog
{
    // 1101 (IndexCorrupt) is logged by the index implementation that sets a damaged file aside.

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Rebuilt {Rows} rendition rows from {Folder}")]
    public static partial void IndexRebuilt(ILogger logger, int rows, string folder);
}
