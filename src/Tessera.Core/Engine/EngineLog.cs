using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Vips;

namespace Tessera.Core.Engine;

/// <summary>libvips' warnings (a truncated JPEG, a bad PNG chunk, a GObject critical): to the log at debug level and
/// counted, never to stderr, where one warm run once printed 1,488 of them over its progress bar. libvips logs
/// process-wide, so this is static like <see cref="VipsEngine"/>; the host that built the core last supplies the logger.</summary>
internal static partial class EngineLog
{
    private static long _warnings;
    private static ILogger _logger = NullLogger.Instance;

    /// <summary>Warnings, criticals and errors libvips and GLib logged since the process started.</summary>
    public static long Warnings => Interlocked.Read(ref _warnings);

    public static void Attach(ILoggerFactory? factory) =>
        Volatile.Write(ref _logger, factory?.CreateLogger("Tessera.Core.Engine.Vips") ?? NullLogger.Instance);

    /// <summary>The handler the engine gives the binding: runs on the thread that logged, so it only counts and logs.</summary>
    public static void Route(VipsLogMessage message)
    {
        if (message.Level <= VipsLogLevel.Warning)
        {
            Interlocked.Increment(ref _warnings);
        }

        var logger = Volatile.Read(ref _logger);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Logged(logger, message.Domain, message.Level, message.Text);
        }
    }

    [LoggerMessage(EventId = 1090, Level = LogLevel.Debug, Message = "libvips {Domain} {Level}: {Text}")]
    private static partial void Logged(ILogger logger, string domain, VipsLogLevel level, string text);
}
