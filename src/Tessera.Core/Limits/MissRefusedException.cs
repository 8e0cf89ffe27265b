namespace Tessera.Core.Limits;

/// <summary>The client has used its misses for now: nothing was fetched or generated; it may retry after <see cref="RetryAfter"/>.</summary>
public sealed class MissRefusedException : Exception
{
    public MissRefusedException()
    {
    }

    public MissRefusedException(string message)
        : base(message)
    {
    }

    public MissRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MissRefusedException(TimeSpan retryAfter)
        : base($"too many uncached images requested; retry in {Math.Ceiling(retryAfter.TotalSeconds):0} s") => RetryAfter = retryAfter;

    public TimeSpan RetryAfter { get; }
}
