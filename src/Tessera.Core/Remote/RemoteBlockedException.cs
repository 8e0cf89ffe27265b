namespace Tessera.Core.Remote;

/// <summary>Thrown by the guarded handler's connect callback when a destination has no permitted address;
/// surfaces as the inner exception of an <see cref="HttpRequestException"/>.</summary>
public sealed class RemoteBlockedException : IOException
{
    public RemoteBlockedException()
    {
    }

    public RemoteBlockedException(string message)
        : base(message)
    {
    }

    public RemoteBlockedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
