namespace Tessera.Core.Engine;

/// <summary>The image engine could not read, decode or encode an image. The message carries the engine's own
/// text, which is diagnostic only.</summary>
public sealed class EngineException : Exception
{
    public EngineException() { }

    public EngineException(string message) : base(message) { }

    public EngineException(string message, Exception innerException) : base(message, innerException) { }
}
