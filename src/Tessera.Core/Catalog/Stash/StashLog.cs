using Microsoft.Extensions.Logging;

namespace Tessera.Core.Catalog.Stash;

internal static partial class StashLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Stash {Operation}: retry {Attempt} in {Delay}: {Detail}")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, TimeSpan delay, string detail);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Stash {Operation} failed: {Detail}")]
    public static partial void Failed(ILogger logger, string operation, string detail);
}
