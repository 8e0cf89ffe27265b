using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tessera.Core.Catalog;
using Tessera.Core.Index;
using Tessera.Server.Catalog;

namespace Tessera.Cli.Commands.Catalog;

/// <summary>tessera catalog status NAME [--json]: per type the live rows, the watermark, the last full sync, the last sync
/// and its result, read from the index opened read-only (nothing in the data folder is written). --json prints the
/// shape of GET /api/catalog/{name}.</summary>
internal static class CatalogStatusCommand
{
    public static Command Create()
    {
        var flags = CatalogCommand.Flags();
        var name = CatalogCommand.NameArgument();
        var json = new Option<bool>("--json") { Description = "Print JSON (the same shape as GET /api/catalog/{name})." };
        var command = new Command("status", "Show a catalog's live rows, watermarks and last sync results per type.") { name, json };
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            var catalog = parse.GetValue(name)!;
            var options = CommonOptions.Read(flags, parse).Options;
            var configured = CatalogCommand.Configured(options, catalog);
            using var host = await CommandHost.OpenAsync(options, ct, readOnly: true);
            var index = host.Get<ICatalogIndex>();
            var types = new List<CatalogTypeStatus>();
            foreach (var type in CatalogTypes.All)
            {
                var mark = await index.GetWatermarkAsync(catalog, type, ct);
                types.Add(new CatalogTypeStatus(type, await index.CountLiveAsync(catalog, type, ct), mark?.UpdatedSince, mark?.LastFullSync, mark?.LastSync, mark?.LastResult));
            }

            if (parse.GetValue(json))
            {
                terminal.Out.WriteLine(JsonSerializer.Serialize(new CatalogStatusDocument(catalog, configured.Public, types), CatalogJson.Default.CatalogStatusDocument));
                return 0;
            }

            terminal.Out.WriteLine($"catalog {catalog}: {configured.Kind} at {configured.Url?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)}{(configured.Public ? ", public" : "")}");
            // Plain columns, one line per type (as jobs list prints), so the result sentence is never wrapped.
            terminal.Out.WriteLine($"{"TYPE",-11} {"LIVE",8}  {"WATERMARK",-20}  {"LAST FULL SYNC",-20}  {"LAST SYNC",-20}  LAST RESULT");
            foreach (var t in types)
            {
                terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Type,-11} {t.Count,8}  {Time(t.UpdatedSince),-20}  {Time(t.LastFullSync),-20}  {Time(t.LastSync),-20}  {t.LastResult ?? "never synced"}"));
            }

            return 0;
        });
        return command;
    }

    private static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "–";
}
