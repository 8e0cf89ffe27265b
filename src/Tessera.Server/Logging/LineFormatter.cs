using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Tessera.Server.Logging;

/// <summary>One line per event for terminals and log shippers: UTC time, level, category[event id], the message, then the
/// scopes as key=value. Only an exception spans lines, each indented. Request scopes keep RequestId; the rest (trace ids,
/// connection, and RequestPath, which can carry a /r/ signature) is left out.</summary>
internal sealed class LineFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "tessera";

    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "{OriginalFormat}", "SpanId", "TraceId", "ParentId", "ConnectionId", "RequestPath",
    };

    private static readonly System.Buffers.SearchValues<char> NeedsQuotes = System.Buffers.SearchValues.Create(" \"=\t\r\n");

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var line = new StringBuilder(160);
        line.Append(DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append(' ')
            .Append(Level(logEntry.LogLevel)).Append(' ').Append(logEntry.Category).Append('[')
            .Append(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture)).Append("] ");
        AppendFlat(line, message ?? string.Empty);
        scopeProvider?.ForEachScope(static (scope, builder) => AppendScope(builder, scope), line);
        line.Append('\n');
        if (logEntry.Exception is { } exception)
        {
            foreach (var text in exception.ToString().Split('\n'))
            {
                line.Append("    ").Append(text.TrimEnd('\r')).Append('\n');
            }
        }

        textWriter.Write(line.ToString());
    }

    private static void AppendScope(StringBuilder line, object? scope)
    {
        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                if (!Skipped.Contains(key))
                {
                    AppendPair(line, key, Convert.ToString(value, CultureInfo.InvariantCulture));
                }
            }
        }
        else if (scope is not null)
        {
            AppendPair(line, "scope", Convert.ToString(scope, CultureInfo.InvariantCulture));
        }
    }

    private static void AppendPair(StringBuilder line, string key, string? value)
    {
        line.Append(' ').Append(key).Append('=');
        var text = value ?? string.Empty;
        if (text.Length > 0 && text.AsSpan().IndexOfAny(NeedsQuotes) < 0)
        {
            line.Append(text);
            return;
        }

        line.Append('"');
        AppendFlat(line, text.Replace("\"", "\\\"", StringComparison.Ordinal));
        line.Append('"');
    }

    /// <summary>A message's own line breaks become spaces: one event, one line.</summary>
    private static void AppendFlat(StringBuilder line, string text)
    {
        foreach (var c in text)
        {
            line.Append(c is '\r' or '\n' ? ' ' : c);
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
