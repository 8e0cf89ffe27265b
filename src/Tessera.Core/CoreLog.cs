using Microsoft.Extensions.Logging;

namespace Tessera.Core;

internal static partial class CoreLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "The index {Path} is damaged ({Error}); moved it to {Aside} and rebuilding it from the rendition files")]
    public static partial void IndexCorrupt(ILogger logger, string path, string error, string aside);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Rebuilt {Rows} rendition rows from {Folder}")]
    public static partial void IndexRebuilt(ILogger logger, int rows, string folder);
}
