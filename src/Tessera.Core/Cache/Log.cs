using Microsoft.Extensions.Logging;

namespace Tessera.Core.Cache;

internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Generated {Key} ({Preset}, {Bytes} bytes) in {Milliseconds:0.0} ms from {Source}")]
    public static partial void Generated(ILogger logger, string key, string preset, int bytes, double milliseconds, Redaction.Redacted source);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "No thumbnail for {Source}: {Reason} ({Detail})")]
    public static partial void Failed(ILogger logger, Redaction.Redacted source, string reason, Redaction.Redacted detail);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Could not store rendition {Key}; serving it uncached: {Error}")]
    public static partial void StoreFailed(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Stored rendition {Key} could not be read; regenerating: {Error}")]
    public static partial void ReadFailed(ILogger logger, string key, string error);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Could not update the negative entry of {Source}: {Error}")]
    public static partial void NegativeNotStored(ILogger logger, Redaction.Redacted source, string error);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Stored rendition {Key} is damaged (recorded {Expected} bytes, found {Actual}); deleted, regenerating")]
    public static partial void Corrupt(ILogger logger, string key, long expected, int actual);
}
