using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Server.Logging;

namespace Tessera.Tests.Http.Logging;

public sealed class LineFormatterTests
{
    [Fact]
    public void Event_IsOneLine_WithLevelCategoryIdAndScopes_ExceptionsIndented()
    {
        var scopes = new LoggerExternalScopeProvider();
        using var _ = scopes.Push(new Dictionary<string, object?> { ["RequestId"] = "0HN:1", ["RequestPath"] = "/r/SECRET/grid/x", ["Library"] = "my photos" });
        using var writer = new StringWriter();
        Exception error;
        try
        {
            throw new InvalidOperationException("broken\nreally");
        }
        catch (InvalidOperationException e)
        {
            error = e;
        }

        var entry = new LogEntry<string>(LogLevel.Warning, "Tessera.Core.Cache", new EventId(1042, "Stored"), "two\nlines", error, (s, _) => s);
        new LineFormatter().Write(entry, scopes, writer);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warn Tessera\.Core\.Cache\[1042\] two lines RequestId=0HN:1 Library=""my photos""$", lines[0]);
        Assert.DoesNotContain("SECRET", writer.ToString(), StringComparison.Ordinal);
        Assert.True(lines.Length > 2, "the exception follows on its own lines");
        Assert.All(lines.Skip(1), l => Assert.StartsWith("    ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("InvalidOperationException: broken", StringComparison.Ordinal));
    }
}
