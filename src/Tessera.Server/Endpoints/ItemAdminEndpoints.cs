using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Cache;
using Tessera.Core.Items;
using Tessera.Core.Redaction;
using Tessera.Core.Sources;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>The lifecycle of app items, behind the admin key: register many at once, list a library's items, purge an
/// item, remove one alias. (A library file or folder is purged through DELETE /api/files/{library}/{path}.)</summary>
internal static class ItemAdminEndpoints
{
    public const int MaxBulkItems = 100_000;
    private const string BulkShape = "expected a JSON body: {\"items\": [{\"id\": \"...\", \"role\": \"cover\", \"sources\": [\"https://...\"], \"path\": \"optional\", \"aliases\": [\"...\"]}, ...]}";

    public static void MapItemLifecycle(this RouteGroupBuilder admin)
    {
        admin.MapPost("/{library}", BulkAsync).Body<BulkBody>().Produces<ItemBulkDocument>().Problems(400, 404, 413)
            .Describe("Items", "Register many items at once", "Up to 100,000 items (16 MiB), all or none; an invalid entry is 400 naming it.");
        admin.MapGet("/{library}", ListAsync).Produces<ItemListDocument>().Problems(404)
            .Describe("Items", "A library's items in key order", "limit ≤ 1000 (default 100); pass next as after for the next page.");
        admin.MapDelete("/{library}/{id}", PurgeAsync).Produces<ItemPurgeDocument>().Produces<ClearResult>().Problems(400, 404)
            .Describe("Items", "Purge an app item", "Its registrations, aliases, negative entries and the renditions made from its sources. For a top-level " +
                "file or folder of a folder library that is no item, the older meaning: purge that path (answered like DELETE /api/files).");
        admin.MapDelete("/{library}/{id}/aliases/{alias}", RemoveAliasAsync).Produces<AliasRemovedDocument>().Problems(400, 404)
            .Describe("Items", "Remove one alias", "404 when the id is no alias.");
        // Before /api/files existed, DELETE /api/items/{library}/{path} purged a library path: a path of several
        // segments still does.
        admin.MapDelete("/{library}/{first}/{**rest}", (CacheAdmin admin, IReadOnlyDictionary<string, FolderLibrary> libraries, string library, string first,
            string rest, CancellationToken ct) => PurgePathAsync(admin, libraries, library, $"{first}/{rest}", ct))
            .Produces<ClearResult>().Problems(400, 404).WithMetadata(new ObsoleteAttribute("use DELETE /api/files/{library}/{path}"))
            .Describe("Items", "Purge a file or folder of a library (older route)", "Kept for paths with a folder in them; new code uses DELETE /api/files/{library}/{path}.");
    }

    /// <summary>A library path's renditions, fingerprint and negatives (see DELETE /api/files/{library}/{path}).</summary>
    internal static async Task<IResult> PurgePathAsync(CacheAdmin admin, IReadOnlyDictionary<string, FolderLibrary> libraries, string library, string path,
        CancellationToken ct)
    {
        if (!libraries.ContainsKey(library))
        {
            return Results.Problem(detail: $"unknown library '{library}'", statusCode: StatusCodes.Status404NotFound);
        }

        var result = await admin.PurgeItemAsync(library, path, ct);
        return result is null
            ? Results.Problem(detail: "not a valid path in that library", statusCode: StatusCodes.Status400BadRequest)
            : Results.Json(result, ResponseJson.Default.ClearResult);
    }

    private static async Task<IResult> BulkAsync(HttpContext context, ItemResolver items, ItemRegistry registry,
        IReadOnlyDictionary<string, FolderLibrary> libraries, string library, CancellationToken ct)
    {
        if (!items.IsItemLibrary(library))
        {
            return Results.Problem(detail: $"unknown library '{library}'", statusCode: StatusCodes.Status404NotFound);
        }

        var (body, _, bad) = await JsonBody.ReadAsync(context, RequestJson.Default.BulkBody, JsonBody.BulkCap, BulkShape);
        if (bad is not null)
        {
            return bad;
        }

        if (body?.Items is not { Count: > 0 and <= MaxBulkItems } entries)
        {
            return ItemEndpoints.Bad($"{BulkShape} with 1 to {MaxBulkItems} items");
        }

        libraries.TryGetValue(library, out var folder);
        var bulk = new List<BulkItem>(entries.Count);
        var paths = new Dictionary<string, string?>(StringComparer.Ordinal); // many items often share a file or folder
        for (var i = 0; i < entries.Count; i++)
        {
            if (Validate(entries[i], items, folder, paths) is { } why)
            {
                return ItemEndpoints.Bad($"items[{i}]: {why}");
            }

            var e = entries[i];
            ItemIds.TryNormalize(e.Id, out var id, out _);
            var aliases = new List<string>();
            foreach (var a in e.Aliases ?? [])
            {
                ItemIds.TryNormalize(a, out var n, out _);
                aliases.Add(n);
            }

            bulk.Add(new BulkItem(id, e.Role ?? "cover", e.Sources ?? [], e.Path, aliases));
        }

        var changes = await registry.PutManyAsync(library, bulk, ct);
        return Results.Json(new ItemBulkDocument(library, bulk.Count, changes), ResponseJson.Default.ItemBulkDocument);
    }

    private static string? Validate(BulkEntry e, ItemResolver items, FolderLibrary? folder, Dictionary<string, string?> paths)
    {
        if (!ItemIds.TryNormalize(e.Id, out _, out var why))
        {
            return why;
        }

        if (e.Role is { } role && !ItemIds.IsValidRole(role))
        {
            return $"role '{role}' must be 1-32 of a-z, 0-9, '-' and '_'";
        }

        if ((e.Sources?.Count ?? 0) > ItemRegistry.MaxSources || (e.Aliases?.Count ?? 0) > 100)
        {
            return $"at most {ItemRegistry.MaxSources} sources and 100 aliases per item";
        }

        foreach (var source in e.Sources ?? [])
        {
            if (!items.IsAcceptableSource(source, out var reason))
            {
                return $"source '{Redactor.Url(source)}' is not accepted: {reason}";
            }
        }

        foreach (var alias in e.Aliases ?? [])
        {
            if (!ItemIds.TryNormalize(alias, out _, out var reason))
            {
                return $"alias: {reason}";
            }
        }

        if (e.Path is { } path)
        {
            if (folder is null)
            {
                return "this library has no folder, so an item cannot name a path in it";
            }

            if (!paths.TryGetValue(path, out var problem))
            {
                problem = paths[path] = folder.Resolve(path) is { Outcome: not PathOutcome.Found } resolved ? resolved.Reason : null;
            }

            if (problem is not null)
            {
                return $"path '{path}': {problem}";
            }
        }

        return null;
    }

    private static async Task<IResult> ListAsync(ItemResolver items, ItemRegistry registry, string library, string? after, int? limit, CancellationToken ct)
    {
        if (!items.IsItemLibrary(library))
        {
            return Results.Problem(detail: $"unknown library '{library}'", statusCode: StatusCodes.Status404NotFound);
        }

        var take = Math.Clamp(limit ?? 100, 1, 1000);
        var page = await registry.ListAsync(library, after, take, ct);
        return Results.Json(new ItemListDocument(library, [.. page.Select(i => new ItemListEntry(i.Id, i.Key))], page.Count == take ? page[^1].Key : null),
            ResponseJson.Default.ItemListDocument);
    }

    private static async Task<IResult> PurgeAsync(ItemResolver items, ItemPurger purger, ItemRegistry registry, CacheAdmin admin,
        IReadOnlyDictionary<string, FolderLibrary> libraries, string library, string id, CancellationToken ct)
    {
        if (ItemEndpoints.Check(items, library, id, "cover", out var normalized) is { } problem)
        {
            return problem;
        }

        // The route's older meaning: a top-level file or folder of a folder library that is not also an app item.
        if (libraries.TryGetValue(library, out var folder) && folder.Resolve(id).Outcome == PathOutcome.Found
            && await registry.DescribeAsync(library, normalized, ct) is { Registrations.Count: 0, Aliases.Count: 0 })
        {
            return await PurgePathAsync(admin, libraries, library, id, ct);
        }

        var r = await purger.PurgeAsync(library, normalized, ct);
        return Results.Json(new ItemPurgeDocument(library, r.Item.Id, r.Item.Key, r.Registrations, r.Aliases, r.Renditions, r.Bytes, r.Negatives),
            ResponseJson.Default.ItemPurgeDocument);
    }

    private static async Task<IResult> RemoveAliasAsync(ItemResolver items, ItemRegistry registry, string library, string id, string alias, CancellationToken ct)
    {
        if (ItemEndpoints.Check(items, library, id, "cover", out _) is { } problem)
        {
            return problem;
        }

        if (!ItemIds.TryNormalize(alias.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase), out var normalized, out var why))
        {
            return ItemEndpoints.Bad(why!);
        }

        return await registry.RemoveAliasAsync(library, normalized, ct)
            ? Results.Json(new AliasRemovedDocument(library, normalized, Removed: true), ResponseJson.Default.AliasRemovedDocument)
            : Results.Problem(detail: $"'{normalized}' is no alias in library '{library}'", statusCode: StatusCodes.Status404NotFound);
    }
}
