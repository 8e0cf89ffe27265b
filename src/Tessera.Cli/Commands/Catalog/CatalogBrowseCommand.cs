using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Spectre.Console;
using Tessera.Core.Catalog;
using Tessera.Core.Index;
using Tessera.Server.Catalog;

namespace Tessera.Cli.Commands.Catalog;

/// <summary>tessera catalog browse NAME TYPE [--q TEXT] [--page N] [--per-page N] [--sort S] [--desc] [--tag ID]… [--user U] [--json]:
/// a page of a type as GET /api/catalog/{name}/{type} answers it (the same checks, the same SQL), read from the index
/// opened read-only. A bad type, sort or value exits 2 with what is allowed.</summary>
internal static class CatalogBrowseCommand
{
    private static readonly string[] Filters = ["tag", "studio", "performer", "group"];

    public static Command Create()
    {
        var flags = CatalogCommand.Flags();
        var name = CatalogCommand.NameArgument();
        var type = new Argument<string>("TYPE") { Description = $"What to list: {string.Join(", ", CatalogTypes.All)}." };
        var text = new Option<string?>("--q") { Description = "Full-text search (titles, details; accent-insensitive)." };
        var page = new Option<int?>("--page") { Description = "The page, from 1 (default 1)." };
        var perPage = new Option<int?>("--per-page") { Description = $"Entities per page, 1–{CatalogQueryParser.MaxPerPage} (default 50)." };
        var sort = new Option<string?>("--sort") { Description = $"Sort by {string.Join(", ", CatalogQueryParser.Sorts)} (default title; ties by id)." };
        var desc = new Option<bool>("--desc") { Description = "Sort descending." };
        var user = new Option<string?>("--user") { Description = "Browse as this user sees the catalog (their restrictions)." };
        var json = new Option<bool>("--json") { Description = "Print JSON (the same shape as GET /api/catalog/{name}/{type})." };
        var filters = Filters
            .Select(f => (Key: f, Option: new Option<string[]>($"--{f}") { Description = $"Only entities with this {f} id; repeatable (all must match).", AllowMultipleArgumentsPerToken = false }))
            .ToList();
        var command = new Command("browse", "List a page of a catalog's scenes, performers, studios, tags, groups or galleries.")
        {
            name, type, text, page, perPage, sort, desc, user, json,
        };
        foreach (var (_, option) in filters)
        {
            command.Options.Add(option);
        }

        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var terminal = Terminal.Of(parse);
            var catalog = parse.GetValue(name)!;
            var what = parse.GetValue(type)!;
            if (!CatalogTypes.IsKnown(what))
            {
                throw new ArgumentException($"unknown type '{what}'; allowed: {string.Join(", ", CatalogTypes.All)}");
            }

            var values = new Dictionary<string, StringValues>(StringComparer.Ordinal);
            Put("q", parse.GetValue(text));
            Put("page", parse.GetValue(page)?.ToString(CultureInfo.InvariantCulture));
            Put("perPage", parse.GetValue(perPage)?.ToString(CultureInfo.InvariantCulture));
            Put("sort", parse.GetValue(sort));
            Put("dir", parse.GetValue(desc) ? "desc" : null);
            Put("user", parse.GetValue(user));
            foreach (var (key, option) in filters)
            {
                if (parse.GetValue(option) is { Length: > 0 } ids)
                {
                    values[key] = ids;
                }
            }

            var (query, problem) = CatalogQueryParser.Parse(catalog, what, new QueryCollection(values));
            if (query is null)
            {
                throw new ArgumentException(problem);
            }

            var options = CommonOptions.Read(flags, parse).Options;
            CatalogCommand.Configured(options, catalog);
            using var host = await CommandHost.OpenAsync(options, ct, readOnly: true);
            var result = await host.Get<ICatalogIndex>().BrowseAsync(query, ct);
            if (parse.GetValue(json))
            {
                var items = result.Items.Select(e => CatalogDocuments.Item(catalog, e, query.User)).ToList();
                terminal.Out.WriteLine(JsonSerializer.Serialize(new CatalogPageDocument(result.Count, query.Page, query.PerPage, items), CatalogJson.Default.CatalogPageDocument));
                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn(new TableColumn("id").RightAligned()).AddColumn("title").AddColumn("date").AddColumn(new TableColumn("rating").RightAligned())
                .AddColumn(new TableColumn(what == CatalogTypes.Scenes ? "duration" : "scenes").RightAligned());
            foreach (var e in result.Items)
            {
                table.AddRow(Markup.Escape(e.Id), Markup.Escape(e.Title), Markup.Escape(e.Date ?? "–"), Number(e.Rating), what == CatalogTypes.Scenes
                    ? e.DurationSeconds is { } d ? TimeSpan.FromSeconds(Math.Round(d)).ToString("c", CultureInfo.InvariantCulture) : "–"
                    : Number(e.Count));
            }

            terminal.Ansi.Write(table);
            var pages = Math.Max(1, (result.Count + query.PerPage - 1) / query.PerPage);
            terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"page {query.Page} of {pages} ({result.Count} {what})"));
            return 0;

            void Put(string key, string? value)
            {
                if (value is not null)
                {
                    values[key] = value;
                }
            }
        });
        return command;
    }

    private static string Number(long? n) => n is { } v ? v.ToString(CultureInfo.InvariantCulture) : "–";
}
