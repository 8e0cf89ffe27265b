using System.Globalization;

namespace Tessera.Core.Configuration;

/// <summary>Sizes such as 2GB, 500MB, 1.5GiB or 1048576. Units are binary (1 KB = 1024 bytes), as in the defaults.</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("TIB", 1L << 40), ("GIB", 1L << 30), ("MIB", 1L << 20), ("KIB", 1L << 10),
        ("TB", 1L << 40), ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10),
        ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10), ("B", 1),
    ];

    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim().ToUpperInvariant();
        var factor = 1L;
        foreach (var (suffix, f) in Units)
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                s = s[..^suffix.Length].TrimEnd();
                factor = f;
                break;
            }
        }

        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0 || number * factor > long.MaxValue)
        {
            throw new FormatException($"'{text}' is not a size; expected e.g. 2GB, 500MB, 1.5GiB or a number of bytes");
        }

        return (long)(number * factor);
    }
}
