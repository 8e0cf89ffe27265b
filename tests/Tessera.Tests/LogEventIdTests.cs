using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Tessera.Tests;

/// <summary>Event ids are how operators filter and alert on log lines, so each one names one message.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void EveryLoggerMessage_HasItsOwnEventId()
    {
        // Every Tessera assembly beside the tests, so a project split off later is checked too.
        var messages = Directory.EnumerateFiles(AppContext.BaseDirectory, "Tessera.*.dll")
            .Where(path => !Path.GetFileName(path).StartsWith("Tessera.Tests", StringComparison.Ordinal))
            .Select(path => Assembly.Load(Path.GetFileNameWithoutExtension(path)))
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.FullName}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        Assert.True(messages.Count >= 10, $"found only {messages.Count} [LoggerMessage] methods");
        Assert.All(messages, m => Assert.True(m.Attribute!.EventId > 0, $"{m.Method} has no event id"));
        var shared = messages.GroupBy(m => m.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}");
        Assert.Empty(shared);
    }
}
