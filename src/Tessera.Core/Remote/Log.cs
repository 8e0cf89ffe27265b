using Microsoft.Extensions.Logging;
using Tessera.Core.Redaction;

namespace Tessera.Core.Remote;

/// <summary>Remote fetches as logged: every URL through <see cref="Redaction.Redactor"/>, so keys in templates stay out of the log.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Fetched {Url} ({Bytes} bytes, {MediaType})")]
    public static partial void Fetched(ILogger logger, Redacted url, int bytes, string mediaType);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Could not fetch {Url}: {Kind} ({Detail})")]
    public static partial void Failed(ILogger logger, Redacted url, RemoteFailure kind, string detail);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Blocked fetch of {Url}: {Detail}")]
    public static partial void Blocked(ILogger logger, Redacted url, string detail);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Retry {Attempt} of {Url} in {Delay}: {Detail}")]
    public static partial void Retrying(ILogger logger, int attempt, Redacted url, TimeSpan delay, string detail);
}
