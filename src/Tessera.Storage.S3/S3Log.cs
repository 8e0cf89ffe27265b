using Microsoft.Extensions.Logging;

namespace Tessera.Storage.S3;

/// <summary>The S3 store's log messages: event ids 6xxx.</summary>
internal static partial class S3Log
{
    [LoggerMessage(EventId = 6001, EventName = "S3ReadFailed", Level = LogLevel.Warning,
        Message = "Could not read {Object} from the bucket {Bucket}: {Reason}; answered as a miss")]
    public static partial void ReadFailed(ILogger logger, string @object, string bucket, string reason);

    [LoggerMessage(EventId = 6002, EventName = "S3ObjectCorrupt", Level = LogLevel.Warning,
        Message = "{Object} in the bucket {Bucket} is damaged ({Detail}); deleted, answered as a miss")]
    public static partial void Corrupt(ILogger logger, string @object, string bucket, string detail);

    [LoggerMessage(EventId = 6003, EventName = "S3DeleteFailed", Level = LogLevel.Warning,
        Message = "Could not delete {Object} from the bucket {Bucket}: {Reason}; Store:SharedBudget removes it in time")]
    public static partial void DeleteFailed(ILogger logger, string @object, string bucket, string reason);

    [LoggerMessage(EventId = 6004, EventName = "S3BucketCreated", Level = LogLevel.Information,
        Message = "Created the bucket {Bucket} at {Endpoint}")]
    public static partial void BucketCreated(ILogger logger, string bucket, string endpoint);

    [LoggerMessage(EventId = 6005, EventName = "S3Trimmed", Level = LogLevel.Information,
        Message = "The bucket {Bucket} held {Total} bytes, over Store:SharedBudget {Budget}: removed the {Count} oldest objects ({Bytes} bytes)")]
    public static partial void Trimmed(ILogger logger, string bucket, long total, long budget, int count, long bytes);

    [LoggerMessage(EventId = 6006, EventName = "S3TrimFailed", Level = LogLevel.Warning,
        Message = "Could not keep the bucket {Bucket} within Store:SharedBudget: {Reason}; tried again after the next write")]
    public static partial void TrimFailed(ILogger logger, string bucket, string reason);
}
