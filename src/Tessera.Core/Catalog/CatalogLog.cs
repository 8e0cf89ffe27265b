using Microsoft.Extensions.Logging;

namespace Tessera.Core.Catalog;

internal static partial class CatalogLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Catalog {Catalog}: {Type} {Mode}: {Text}")]
    public static partial void Synced(ILogger logger, string catalog, string type, CatalogSyncMode mode, string text);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Catalog {Catalog}: {Type}: the orphan sweep was skipped: {Reason}")]
    public static partial void SweepSkipped(ILogger logger, string catalog, string type, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Catalog {Catalog}: {Type} sync failed: {Error}")]
    public static partial void SyncFailed(ILogger logger, string catalog, string type, string error);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Catalog {Catalog}: the images' {Action} failed: {Error}")]
    public static partial void ImagesFailed(ILogger logger, string catalog, string action, string error);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Catalog {Catalog}: notified {Action} of {Type} {Id}")]
    public static partial void Notified(ILogger logger, string catalog, string type, string id, string action);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Catalog {Catalog}: queueing its sync failed: {Error}")]
    public static partial void TriggerFailed(ILogger logger, string catalog, string error);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "Catalog {Catalog}: subscribed to the upstream's scan-complete events")]
    public static partial void Subscribed(ILogger logger, string catalog);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Information,
        Message = "Catalog {Catalog}: the upstream does not serve the scan-complete subscription ({Reason}); polling only, asking again in {Retry}")]
    public static partial void SubscriptionRefused(ILogger logger, string catalog, string reason, TimeSpan retry);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Information, Message = "Catalog {Catalog}: the scan-complete subscription was lost ({Reason}); reconnecting in {Retry}")]
    public static partial void SubscriptionLost(ILogger logger, string catalog, string reason, TimeSpan retry);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Debug, Message = "Catalog {Catalog}: the scan-complete subscription could not connect ({Reason}); again in {Retry}")]
    public static partial void SubscriptionFailed(ILogger logger, string catalog, string reason, TimeSpan retry);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Information, Message = "Catalog {Catalog}: the upstream finished a scan; smart sync job {Job} (new: {Created})")]
    public static partial void ScanCompleted(ILogger logger, string catalog, long job, bool created);
}
