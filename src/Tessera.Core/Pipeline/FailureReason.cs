namespace Tessera.Core.Pipeline;

/// <summary>Why no thumbnail could be made from a source.</summary>
public enum FailureReason
{
    NotFound,
    TooLarge,
    DecodeFailed,
    Timeout,
}
