using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;

namespace Tessera.Cli.Settings;

/// <summary>The flags of one command that are settings, and how each maps to a configuration key. Flags are the
/// highest configuration layer: defaults &lt; the JSON file &lt; TESSERA__ environment variables &lt; flags.</summary>
internal sealed class SettingFlags
{
    /// <summary>List flags are written after a file's own entries, so they add to its lists.</summary>
    private const int ListBase = 1000;

    private readonly List<Option> _options = [];
    private readonly List<Action<ParseResult, Dictionary<string, string?>>> _writers = [];
    // Checks see the configuration through a lookup, not IConfiguration: building the command tree (every command,
    // render-worker too) must not load the configuration assemblies.
    private readonly List<Action<ParseResult, Func<string, string?>>> _checks = [];

    public SettingFlags()
    {
        Config = new Option<string?>("--config")
        {
            Description = "A JSON settings file (default: <data>/tessera.json when present). TESSERA__Section__Key environment variables and flags override it.",
        };
        _options.Add(Config);
        Data = Value(new Option<string?>("--data") { Description = "The data folder (index, renditions); created when missing. Setting: Data." }, "Data");
    }

    public Option<string?> Config { get; }

    public Option<string?> Data { get; }

    public IReadOnlyList<Option> Options => _options;

    /// <summary>A flag with one value, written to <paramref name="key"/>.</summary>
    public Option<string?> Value(Option<string?> option, string key)
    {
        _options.Add(option);
        _writers.Add((parse, into) =>
        {
            if (parse.GetValue(option) is { } value)
            {
                into[key] = value;
            }
        });
        return option;
    }

    /// <summary>A repeatable NAME=VALUE flag, written to <paramref name="section"/>:NAME.</summary>
    public Option<string[]> Pairs(Option<string[]> option, string section, string expected)
    {
        _options.Add(option);
        _writers.Add((parse, into) =>
        {
            foreach (var spec in parse.GetValue(option) ?? [])
            {
                var eq = spec.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == spec.Length - 1)
                {
                    throw new TesseraConfigurationException(option.Name, $"'{spec}': expected {expected}");
                }

                into[$"{section}:{spec[..eq]}"] = spec[(eq + 1)..];
            }
        });
        return option;
    }

    /// <summary>A flag with its own mapping: <paramref name="write"/> puts its keys among the flags; <paramref name="check"/>,
    /// when given, looks up keys of the whole configuration once it is built (e.g. that a flag names something defined).</summary>
    public TOption Custom<TOption>(TOption option, Action<ParseResult, Dictionary<string, string?>> write, Action<ParseResult, Func<string, string?>>? check = null)
        where TOption : Option
    {
        _options.Add(option);
        _writers.Add(write);
        if (check is not null)
        {
            _checks.Add(check);
        }

        return option;
    }

    /// <summary>A repeatable flag whose values are added to the list at <paramref name="key"/>.</summary>
    public Option<string[]> List(Option<string[]> option, string key)
    {
        _options.Add(option);
        _writers.Add((parse, into) =>
        {
            var values = parse.GetValue(option) ?? [];
            for (var i = 0; i < values.Length; i++)
            {
                into[$"{key}:{ListBase + i}"] = values[i];
            }
        });
        return option;
    }

    /// <summary>--provider NAME=TEMPLATE (repeatable per name) or NAME alone (a library of registered items only).</summary>
    public Option<string[]> Providers(Option<string[]> option)
    {
        _options.Add(option);
        _writers.Add((parse, into) =>
        {
            var next = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var spec in parse.GetValue(option) ?? [])
            {
                var eq = spec.IndexOf('=', StringComparison.Ordinal);
                var (name, template) = eq < 0 ? (spec, null) : (spec[..eq], spec[(eq + 1)..]);
                if (name.Length == 0 || template is { Length: 0 })
                {
                    throw new TesseraConfigurationException(option.Name, $"'{spec}': expected NAME=URL-TEMPLATE or NAME");
                }

                if (template is null)
                {
                    into.TryAdd($"Providers:{name}", string.Empty);
                    continue;
                }

                var i = next.GetValueOrDefault(name);
                next[name] = i + 1;
                into[$"Providers:{name}:{ListBase + i}"] = template;
            }
        });
        return option;
    }

    /// <summary>--provider-header NAME=Header:Value (repeatable), written to ProviderHeaders:NAME:Header. Errors never
    /// quote the value: it is a secret.</summary>
    public Option<string[]> ProviderHeaders(Option<string[]> option)
    {
        _options.Add(option);
        _writers.Add((parse, into) =>
        {
            foreach (var spec in parse.GetValue(option) ?? [])
            {
                var eq = spec.IndexOf('=', StringComparison.Ordinal);
                var colon = eq < 0 ? -1 : spec.IndexOf(':', eq + 1);
                if (eq <= 0 || colon <= eq + 1 || colon == spec.Length - 1)
                {
                    throw new TesseraConfigurationException(option.Name, $"expected NAME=Header:Value (provider '{(eq > 0 ? spec[..eq] : "")}')");
                }

                into[$"ProviderHeaders:{spec[..eq]}:{spec[(eq + 1)..colon].Trim()}"] = spec[(colon + 1)..].Trim();
            }
        });
        return option;
    }

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The configuration for this invocation; <paramref name="fixedValues"/> are command-specific settings
    /// (e.g. warm's --parallel) layered over everything.</summary>
    public IConfigurationRoot Build(ParseResult parse, IReadOnlyDictionary<string, string?>? fixedValues = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var write in _writers)
        {
            write(parse, flags);
        }

        foreach (var (key, value) in fixedValues ?? new Dictionary<string, string?>())
        {
            flags[key] = value;
        }

        var configuration = CliConfiguration.Build(parse.GetValue(Config), flags);
        foreach (var check in _checks)
        {
            check(parse, key => configuration[key]);
        }

        return configuration;
    }
}
