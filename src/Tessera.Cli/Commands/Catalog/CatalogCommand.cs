using System.CommandLine;
using Tessera.Cli.Settings;
using Tessera.Core;
using Tessera.Core.Catalog;

namespace Tessera.Cli.Commands.Catalog;

/// <summary>tessera catalog sync|status|browse NAME …: a configured catalog (Catalogs:NAME, or --catalog NAME=stash:URL)
/// synced on the data folder through the job engine, or read from the index without writing to it.</summary>
internal static class CatalogCommand
{
    public static Command Create() => new("catalog", "Sync an upstream catalog (a Stash server) into the data folder, show its status, browse it.")
    {
        CatalogSyncCommand.Create(), CatalogStatusCommand.Create(), CatalogBrowseCommand.Create(),
    };

    public static Argument<string> NameArgument() => new("NAME") { Description = "The catalog's name (Catalogs:NAME, or --catalog NAME=stash:URL)." };

    /// <summary>The setting flags every catalog command takes: --config, --data, --catalog, --catalog-api-key.</summary>
    public static SettingFlags Flags()
    {
        var flags = new SettingFlags();
        CatalogFlags.AddTo(flags);
        return flags;
    }

    /// <summary>The catalog's options, or an operator error naming the configured ones.</summary>
    public static CatalogOptions Configured(TesseraOptions options, string name) =>
        options.Catalogs.TryGetValue(name, out var catalog)
            ? catalog
            : throw new ArgumentException($"unknown catalog '{name}'; " + (options.Catalogs.Count == 0
                ? "none is configured (--catalog NAME=stash:URL, or Catalogs:NAME in the settings file)"
                : $"configured: {string.Join(", ", options.Catalogs.Keys.Order(StringComparer.Ordinal))}"));
}
