namespace Tessera.Core.Configuration;

/// <summary>A setting that cannot be used, named by its configuration key ("Cache:MaxSize") and why.</summary>
public sealed class TesseraConfigurationException : Exception
{
    public TesseraConfigurationException(string key, string reason)
        : base($"{key}: {reason}")
    {
        Key = key;
        Reason = reason;
    }

    public TesseraConfigurationException()
    {
        Key = Reason = string.Empty;
    }

    public TesseraConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = Reason = string.Empty;
    }

    /// <summary>The configuration key, sections joined by ':' (the environment spells it TESSERA__Cache__MaxSize).</summary>
    public string Key { get; }

    public string Reason { get; }
}
