using System.Globalization;

namespace Tessera.Cli.Commands;

/// <summary>Ages such as 30d, 12h or 45m (days, hours, minutes).</summary>
internal static class Duration
{
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim().ToLowerInvariant();
        Func<double, TimeSpan>? unit = s.Length < 2 ? null : s[^1] switch
        {
            'd' => TimeSpan.FromDays,
            'h' => TimeSpan.FromHours,
            'm' => TimeSpan.FromMinutes,
            _ => null,
        };
        if (unit is null || !int.TryParse(s[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            throw new FormatException($"'{text}' is not an age; expected a whole number with d, h or m, e.g. 30d, 12h or 45m");
        }

        return unit(n);
    }
}
