using Microsoft.Extensions.Logging;

namespace Tessera.Core.Remote;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Fetched {Url} ({Bytes} bytes, {MediaType})")]
    public static partial void Fetched(ILogger logger, Uri url, int bytes, string mediaType);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Could not fetch {Url}: {Kind} ({Detail})")]
    public static partial void Failed(ILogger logger, Uri url, RemoteFailure kind, string detail);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Blocked fetch of {Url}: {Detail}")]
    public static partial void Blocked(ILogger logger, Uri url, string detail);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Retry {Attempt} of {Url} in {Delay}: {Detail}")]
    public static partial void Retrying(ILogger logger, int attempt, Uri url, TimeSpan delay, string detail);
}
