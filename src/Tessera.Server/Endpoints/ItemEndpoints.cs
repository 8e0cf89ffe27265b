using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Catalog;
using Tessera.Core.Items;
using Tessera.Core.Presets;
using Tessera.Core.Redaction;
using Tessera.Core.Sources;
using Tessera.Server.Access;
using Tessera.Server.Catalog;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>GET /i/{library}/{id}/{role}?preset=: an item by the app's own id. Admin: PUT its sources for a role,
/// POST aliases, GET what is known of it.</summary>
internal static class ItemEndpoints
{
    public static void MapItems(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/i/{library}/{id}/{role}", ImageRoutes.GetAndHead, ServeAsync).Image()
            .Query("preset", "The preset (default grid).")
            .Query("format", "webp, jpeg, png, avif or auto: overrides the preset's format.")
            .Query("user", "A catalog user whose restrictions apply (catalog items TYPE:ID only).")
            .Describe("Images", "The image of an app item, by the app's own id",
                "role is what the image is of the item (cover, poster, author, …; 1–32 of a-z 0-9 - _). The id is percent-encoded; in a catalog it is " +
                "TYPE:ID (scene:123). Sources are tried in order: the registered path's chain, registered URLs, provider templates.");

        var admin = app.MapGroup("/api/items").AddEndpointFilter(AdminEndpoints.RequireApiKey).AdminOnly();
        admin.MapPut("/{library}/{id}/{role}", PutSourcesAsync).Body<SourcesBody>(optional: true).Produces<ItemPutDocument>().Problems(400, 404, 413)
            .Describe("Items", "Where an item's image for a role comes from", "An empty body, or no sources and no path, removes the registration.");
        admin.MapPost("/{library}/{id}/aliases", PostAliasesAsync).Body<AliasesBody>().Produces<ItemAliasesDocument>().Problems(400, 404, 409, 413)
            .Describe("Items", "Make other ids name the same item", "An alias of an alias points at the item; an id with sources of its own is 409.");
        admin.MapGet("/{library}/{id}", DescribeAsync).Produces<ItemDescriptionDocument>().Problems(400, 404)
            .Describe("Items", "The item an id names, its aliases and its sources per role");
        admin.MapItemLifecycle();
    }

    private static async Task ServeAsync(HttpContext context, ItemResponder responder, ItemResolver items, PresetCatalog presets,
        CatalogSources catalogs, AccessGate gate, string library, string id, string role)
    {
        if (!await gate.AdmitAsync(context, library))
        {
            return;
        }

        if (catalogs.TryGet(library, out _))
        {
            await CatalogImageEndpoint.ServeAsync(context, responder, presets, library, RouteId(id), role);
            return;
        }

        if (Check(items, library, id, role, out var normalized) is { } problem)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        if (await responder.PresetAndFormatAsync(context, PresetName(context, presets)) is not var (preset, format))
        {
            return;
        }

        var item = await items.ResolveAsync(library, normalized, role, context.RequestAborted);
        await responder.ServeAsync(context, item, preset, format);
    }

    private static async Task<IResult> PutSourcesAsync(HttpContext context, ItemResolver items, ItemRegistry registry,
        IReadOnlyDictionary<string, FolderLibrary> libraries, string library, string id, string role, CancellationToken ct)
    {
        if (Check(items, library, id, role, out var normalized) is { } problem)
        {
            return problem;
        }

        var (body, empty, bad) = await JsonBody.ReadAsync(context, RequestJson.Default.SourcesBody, JsonBody.SmallCap,
            "expected a JSON body: {\"sources\": [\"https://...\"], \"path\": \"optional/file/in/the/library\"}");
        if (bad is not null)
        {
            return bad;
        }

        body ??= new SourcesBody(null, null); // an empty body removes the registration, as {"sources": []} does

        var sources = body.Sources ?? [];
        if (sources.Count > ItemRegistry.MaxSources)
        {
            return Bad($"at most {ItemRegistry.MaxSources} sources per role");
        }

        foreach (var source in sources)
        {
            if (!items.IsAcceptableSource(source, out var why))
            {
                return Bad($"source '{Redactor.Url(source)}' is not accepted: {why}");
            }
        }

        if (body.Path is { } path)
        {
            if (!libraries.TryGetValue(library, out var folder))
            {
                return Bad($"library '{library}' has no folder, so an item cannot name a path in it");
            }

            var resolved = folder.Resolve(path);
            if (resolved.Outcome != PathOutcome.Found)
            {
                return Bad($"path '{path}': {resolved.Reason}");
            }
        }

        var registration = await registry.PutAsync(library, normalized, role, sources, body.Path, ct);
        return Results.Json(new ItemPutDocument(library, registration.Item.Id, registration.Item.Key, role, [.. registration.Sources.Select(Redactor.Url)], registration.Path),
            ResponseJson.Default.ItemPutDocument);
    }

    private static async Task<IResult> PostAliasesAsync(HttpContext context, ItemResolver items, ItemRegistry registry, string library, string id, CancellationToken ct)
    {
        if (Check(items, library, id, "cover", out var normalized) is { } problem)
        {
            return problem;
        }

        var (body, _, bad) = await JsonBody.ReadAsync(context, RequestJson.Default.AliasesBody, JsonBody.SmallCap, "expected a JSON body: {\"aliases\": [\"id\", ...]} with 1 to 100 ids");
        if (bad is not null)
        {
            return bad;
        }

        if (body?.Aliases is not { Count: > 0 } aliases || aliases.Count > 100)
        {
            return Bad("expected a JSON body: {\"aliases\": [\"id\", ...]} with 1 to 100 ids");
        }

        var aliasIds = new List<string>();
        foreach (var alias in aliases)
        {
            if (!ItemIds.TryNormalize(alias, out var n, out var why))
            {
                return Bad($"alias '{alias}': {why}");
            }

            aliasIds.Add(n);
        }

        try
        {
            var item = await registry.AddAliasesAsync(library, normalized, aliasIds, ct);
            var description = await registry.DescribeAsync(library, item.Id, ct);
            return Results.Json(new ItemAliasesDocument(library, item.Id, item.Key, [.. description.Aliases.Select(a => a.Id)]), ResponseJson.Default.ItemAliasesDocument);
        }
        catch (ItemConflictException e)
        {
            return Results.Problem(detail: e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static async Task<IResult> DescribeAsync(ItemResolver items, ItemRegistry registry, string library, string id, CancellationToken ct)
    {
        if (Check(items, library, id, "cover", out var normalized) is { } problem)
        {
            return problem;
        }

        var d = await registry.DescribeAsync(library, normalized, ct);
        return Results.Json(new ItemDescriptionDocument(library, d.Item.Id, d.Item.Key, [.. d.Aliases.Select(a => a.Id)],
            [.. d.Registrations.Select(r => new ItemRoleDocument(r.Role, [.. r.Sources.Select(Redactor.Url)], r.Path, r.UpdatedAt))]), ResponseJson.Default.ItemDescriptionDocument);
    }

    /// <summary>The library, id and role checked, and the id normalised (NFC), or the problem to answer with.</summary>
    internal static IResult? Check(ItemResolver items, string library, string id, string role, out string normalized)
    {
        normalized = string.Empty;
        if (!items.IsItemLibrary(library))
        {
            return Results.Problem(detail: $"unknown library '{library}'", statusCode: StatusCodes.Status404NotFound);
        }

        if (!ItemIds.TryNormalize(RouteId(id), out normalized, out var why))
        {
            return Bad(why!);
        }

        return ItemIds.IsValidRole(role) ? null : Bad($"role '{role}' must be 1-32 of a-z, 0-9, '-' and '_'");
    }

    /// <summary>?preset=, by default grid (or the first preset when there is no grid).</summary>
    internal static string PresetName(HttpContext context, PresetCatalog presets)
    {
        var name = context.Request.Query["preset"].ToString();
        return name.Length > 0 ? name : presets.TryGet("grid", out _) ? "grid" : presets.All.First().Name;
    }

    // Kestrel decodes every escape in the path except %2F, so an id with a slash arrives with it still escaped.
    internal static string RouteId(string id) => id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);

    internal static IResult Bad(string detail) => Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
