namespace Tessera.Core.Presets;

/// <summary>The allow-list of presets. Requests for any other size are refused.</summary>
public sealed class PresetCatalog
{
    public static readonly IReadOnlyList<Preset> Defaults =
    [
        new("thumb", 150, 150),
        new("grid", 400, 400),
        new("grid2x", 800, 800),
        new("detail", 600, 600),
    ];

    private readonly Dictionary<string, Preset> _byName;

    public PresetCatalog(IEnumerable<Preset> presets)
    {
        ArgumentNullException.ThrowIfNull(presets);
        _byName = new Dictionary<string, Preset>(StringComparer.Ordinal);
        foreach (var p in presets)
        {
            Validate(p);
            _byName[p.Name] = p;
        }

        if (_byName.Count == 0)
        {
            throw new ArgumentException("at least one preset is required", nameof(presets));
        }
    }

    public static PresetCatalog Default { get; } = new(Defaults);

    public IEnumerable<Preset> All => _byName.Values;

    public bool TryGet(string name, out Preset preset) => _byName.TryGetValue(name, out preset!);

    /// <summary>Parses "name=WxH[:format[:quality]]", e.g. "poster=300x450:jpeg:85".</summary>
    public static Preset Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new FormatException($"preset '{spec}': expected name=WIDTHxHEIGHT[:format[:quality]]");
        }

        var parts = spec[(eq + 1)..].Split(':');
        var box = parts[0].Split('x');
        if (box.Length != 2 || !int.TryParse(box[0], out var w) || !int.TryParse(box[1], out var h))
        {
            throw new FormatException($"preset '{spec}': size must be WIDTHxHEIGHT");
        }

        var format = OutputFormat.WebP;
        if (parts.Length > 1 && !Formats.TryParse(parts[1], out format))
        {
            throw new FormatException($"preset '{spec}': unknown format '{parts[1]}'");
        }

        var quality = 80;
        if (parts.Length > 2 && !int.TryParse(parts[2].TrimStart('q'), out quality))
        {
            throw new FormatException($"preset '{spec}': quality must be a number");
        }

        var preset = new Preset(spec[..eq], w, h, format, quality);
        Validate(preset);
        return preset;
    }

    private static void Validate(Preset p)
    {
        if (string.IsNullOrWhiteSpace(p.Name) || !p.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new FormatException($"preset name '{p.Name}' must be letters, digits, '-' or '_'");
        }

        if (p.Width is < 1 or > 8192 || p.Height is < 1 or > 8192)
        {
            throw new FormatException($"preset '{p.Name}': width and height must be 1–8192");
        }

        if (p.Quality is < 1 or > 100)
        {
            throw new FormatException($"preset '{p.Name}': quality must be 1–100");
        }
    }
}
