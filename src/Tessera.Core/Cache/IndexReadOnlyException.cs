namespace Tessera.Core.Cache;

/// <summary>A rendition that is not stored cannot be made now: the index is read-only for lack of disk space
/// (<see cref="Index.IIndexAvailability"/>). Hosts answer 503 with Retry-After.</summary>
public sealed class IndexReadOnlyException : Exception
{
    public IndexReadOnlyException() : base("the index is read-only")
    {
    }

    public IndexReadOnlyException(string message) : base(message)
    {
    }

    public IndexReadOnlyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
