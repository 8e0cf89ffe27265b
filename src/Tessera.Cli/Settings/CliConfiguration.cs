using Microsoft.Extensions.Configuration;
using Tessera.Core.Configuration;

namespace Tessera.Cli.Settings;

/// <summary>Layers a command's configuration: the JSON file (--config, else &lt;data&gt;/tessera.json when present), the
/// environment (TESSERA__Section__Key; also the older TESSERA_API_KEY and TESSERA_SIGNING_KEYS, below them), then flags.</summary>
internal static class CliConfiguration
{
    public const string EnvironmentPrefix = "TESSERA__";
    public const string DataFileName = "tessera.json";

    public static IConfigurationRoot Build(string? configFile, IReadOnlyDictionary<string, string?> flags)
    {
        var environment = new ConfigurationBuilder().AddInMemoryCollection(LegacyEnvironment()).AddEnvironmentVariables(EnvironmentPrefix).Build();
        var file = configFile;
        if (file is not null && !File.Exists(file))
        {
            throw new TesseraConfigurationException("--config", $"{file} does not exist");
        }

        if (file is null && (flags.GetValueOrDefault("Data") ?? environment["Data"]) is { Length: > 0 } data
            && Path.Combine(data, DataFileName) is var beside && File.Exists(beside))
        {
            file = beside;
        }

        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        builder.AddInMemoryCollection(LegacyEnvironment()).AddEnvironmentVariables(EnvironmentPrefix).AddInMemoryCollection(flags);
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw new TesseraConfigurationException(file ?? "--config", $"not a valid JSON settings file: {(e.InnerException ?? e).Message}");
        }
    }

    /// <summary>Variables earlier versions read; TESSERA__ variables override them.</summary>
    private static Dictionary<string, string?> LegacyEnvironment()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Environment.GetEnvironmentVariable("TESSERA_API_KEY") is { Length: > 0 } apiKey)
        {
            values["Admin:ApiKey"] = apiKey;
        }

        if (Environment.GetEnvironmentVariable("TESSERA_SIGNING_KEYS") is { Length: > 0 } keys)
        {
            values["SigningKeys"] = keys;
        }

        return values;
    }
}
