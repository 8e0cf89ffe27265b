namespace Tessera.Core.Configuration;

/// <summary>How <c>tessera serve</c> writes its log (Logging:*): the line format and the optional access log.</summary>
public sealed class LogOptions
{
    /// <summary>Logging:Format. Auto is systemd's format under journald (JOURNAL_STREAM set), the simple one elsewhere.</summary>
    public LogFormat Format { get; set; } = LogFormat.Auto;

    /// <summary>Logging:AccessLog: one line per request. Off by default.</summary>
    public bool AccessLog { get; set; }

    public static bool TryParse(string text, out LogFormat format)
    {
        ArgumentNullException.ThrowIfNull(text);
        format = text.ToLowerInvariant() switch
        {
            "auto" => LogFormat.Auto,
            "simple" => LogFormat.Simple,
            "systemd" => LogFormat.Systemd,
            "json" => LogFormat.Json,
            _ => (LogFormat)(-1),
        };
        return Enum.IsDefined(format);
    }
}

public enum LogFormat
{
    Auto,
    Simple,
    Systemd,
    Json,
}
