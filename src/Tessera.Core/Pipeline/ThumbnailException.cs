namespace Tessera.Core.Pipeline;

/// <summary>A source that cannot become a thumbnail, with the reason (feeds placeholders and negative entries).</summary>
public sealed class ThumbnailException : Exception
{
    public ThumbnailException() : this(FailureReason.DecodeFailed, "thumbnail failed") { }

    public ThumbnailException(string message) : this(FailureReason.DecodeFailed, message) { }

    public ThumbnailException(string message, Exception innerException) : base(message, innerException) => Reason = FailureReason.DecodeFailed;

    public ThumbnailException(FailureReason reason, string message, Exception? inner = null) : base(message, inner) => Reason = reason;

    public FailureReason Reason { get; }
}
