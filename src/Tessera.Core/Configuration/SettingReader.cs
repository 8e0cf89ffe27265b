using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Tessera.Core.Configuration;

/// <summary>Reads typed values from one configuration section; a bad value throws naming its full key.
/// Hand-written rather than the reflection binder, so it stays NativeAOT-clean and every error says which key.</summary>
internal readonly struct SettingReader(IConfiguration root, string prefix)
{
    public SettingReader Section(string name) => new(root, Key(name));

    public string Key(string name) => prefix.Length == 0 ? name : $"{prefix}:{name}";

    public string? String(string name) => root[Key(name)] is { Length: > 0 } value ? value.Trim() : null;

    public void Size(string name, Action<long> set) => Parse(name, set, ByteSize.Parse);

    public void Duration(string name, Action<TimeSpan> set) => Parse(name, set, Configuration.Duration.Parse);

    /// <summary>A duration, or "off" (null): a trigger that can be switched off.</summary>
    public void DurationOrOff(string name, Action<TimeSpan?> set) => Parse(name, set, text =>
        text.Equals("off", StringComparison.OrdinalIgnoreCase) ? (TimeSpan?)null : Configuration.Duration.Parse(text));

    public void Bool(string name, Action<bool> set) => Parse(name, set, text => text.ToLowerInvariant() switch
    {
        "true" or "on" or "yes" or "1" => true,
        "false" or "off" or "no" or "0" => false,
        _ => throw new FormatException($"'{text}' is not true or false"),
    });

    /// <summary>Seconds as a whole number ("60") or a duration ("1m").</summary>
    public void Seconds(string name, Action<int> set) => Parse(name, set, text =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int)Configuration.Duration.Parse(text).TotalSeconds);

    public void Int(string name, int min, int max, Action<int> set) => Parse(name, set, text =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new FormatException($"'{text}' is not a whole number from {min} to {max}"));

    public void Long(string name, long min, Action<long> set) => Parse(name, set, text =>
        long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new FormatException($"'{text}' is not a whole number of at least {min}"));

    /// <summary>A list: an array (Key:0, Key:1, …, in numeric order) or one value; with <paramref name="commaSeparated"/>,
    /// one value may hold several items separated by commas (handy in an environment variable).</summary>
    public IReadOnlyList<string> List(string name, bool commaSeparated = false)
    {
        var section = root.GetSection(Key(name));
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is { Length: > 0 } one
                ? commaSeparated ? one.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [one.Trim()]
                : [];
        }

        return [.. children
            .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => c.Value?.Trim())
            .Where(v => !string.IsNullOrEmpty(v))
            .Cast<string>()];
    }

    /// <summary>The names under a section (libraries, presets, providers), as written.</summary>
    public IEnumerable<string> Names(string name) => root.GetSection(Key(name)).GetChildren().Select(c => c.Key);

    public void Require(bool condition, string name, string reason)
    {
        if (!condition)
        {
            throw new TesseraConfigurationException(Key(name), reason);
        }
    }

    private void Parse<T>(string name, Action<T> set, Func<string, T> parse)
    {
        if (String(name) is not { } text)
        {
            return;
        }

        try
        {
            set(parse(text));
        }
        catch (FormatException e)
        {
            throw new TesseraConfigurationException(Key(name), e.Message);
        }
        catch (OverflowException)
        {
            throw new TesseraConfigurationException(Key(name), $"'{text}' is out of range");
        }
    }
}
