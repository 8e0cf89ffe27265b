using System.Globalization;

namespace Tessera.Core.Configuration;

/// <summary>Durations such as 30d, 12h, 45m, 30s or 500ms, or a .NET time span (00:00:30).</summary>
public static class Duration
{
    private static readonly (string Suffix, Func<double, TimeSpan> Unit)[] Units =
    [
        ("ms", TimeSpan.FromMilliseconds), ("d", TimeSpan.FromDays), ("h", TimeSpan.FromHours), ("m", TimeSpan.FromMinutes), ("s", TimeSpan.FromSeconds),
    ];

    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim().ToLowerInvariant();
        foreach (var (suffix, unit) in Units)
        {
            if (s.Length > suffix.Length && s.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(s[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                return unit(n);
            }
        }

        if (s.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw new FormatException($"'{text}' is not a duration; expected a number with d, h, m, s or ms (e.g. 30d, 12h, 45m, 30s, 500ms) or hh:mm:ss");
    }
}
