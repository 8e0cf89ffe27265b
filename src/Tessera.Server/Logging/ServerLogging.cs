using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Tessera.Core.Configuration;

namespace Tessera.Server.Logging;

/// <summary>The console log in the configured format: one line per event (<see cref="LineFormatter"/>), systemd's
/// &lt;N&gt; level prefixes under journald, or one JSON object per line. All three are formatters of the built-in console
/// provider, without reflection.</summary>
internal static class ServerLogging
{
    public static void AddTesseraConsole(this ILoggingBuilder logging, LogOptions options)
    {
        var format = options.Format == LogFormat.Auto ? Detect() : options.Format;
        switch (format)
        {
            case LogFormat.Json:
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = false; // ASP.NET Core's request scope holds RequestPath, which holds a /r/ URL's signature
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                    o.JsonWriterOptions = new() { Indented = false };
                });
                break;
            case LogFormat.Systemd:
                logging.AddSystemdConsole(o => o.IncludeScopes = false); // journald stamps the time itself
                break;
            default:
                logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, LineFormatter>());
                logging.AddConsole(o => o.FormatterName = LineFormatter.FormatterName);
                break;
        }
    }

    /// <summary>systemd sets JOURNAL_STREAM when the service's output goes to the journal.</summary>
    private static LogFormat Detect() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM")) ? LogFormat.Simple : LogFormat.Systemd;
}
