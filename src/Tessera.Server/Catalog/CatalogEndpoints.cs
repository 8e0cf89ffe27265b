using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Catalog;
using Tessera.Core.Index;
using Tessera.Core.Redaction;
using Tessera.Server.Access;
using Tessera.Server.Endpoints;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Catalog;

/// <summary>Browsing a catalog over HTTP: status, stats, a page of a type, one entity. SQL does the work (the index
/// port); bad input is 400 with the reason, an unknown catalog, type or id 404. A catalog is private unless configured
/// public (<c>Catalogs:NAME:Public</c>): titles, details and tags of a media library are the owner's business, so by
/// default browsing needs the admin key like every other JSON API.</summary>
internal static class CatalogEndpoints
{
    public static void MapCatalog(this IEndpointRouteBuilder app)
    {
        // Not AdminOnly: a public catalog is open; any other needs the admin key (401/403) or the app's decision (503 when none).
        var browse = app.MapGroup("/api/catalog/{name}").AddEndpointFilter(RequireAccess);
        browse.MapGet("", StatusAsync).Produces<CatalogStatusDocument>().Problems(401, 403, 404, 503)
            .Describe("Catalog", "A catalog's sync status per type", "Live count, the updatedSince watermark, the last full and last sync and their result.");
        browse.MapGet("/stats", StatsAsync).Produces<CatalogStats>().Problems(400, 401, 403, 404, 503)
            .Query("user", "Counts as this user sees the catalog.")
            .Describe("Catalog", "Counts per type, top tags, studios and performers, total duration and size");
        browse.MapGet("/{type}", BrowseAsync).Produces<CatalogPageDocument>().Problems(400, 401, 403, 404, 503)
            .Query("page", "Page number, from 1.", "integer").Query("perPage", "1–500, default 50.", "integer")
            .Query("sort", "title, date, rating, duration, size, count, updated, created or id; ties break by id.").Query("dir", "asc or desc.")
            .Query("q", "Full text.").Query("tag", "A tag id (repeatable, AND).", repeatable: true).Query("studio", "A studio id (repeatable, AND).", repeatable: true)
            .Query("performer", "A performer id (repeatable, AND).", repeatable: true).Query("group", "A group id (repeatable, AND).", repeatable: true)
            .Query("ratingMin", "0–100.", "integer").Query("ratingMax", "0–100.", "integer")
            .Query("dateFrom", "YYYY-MM-DD.", "date").Query("dateTo", "YYYY-MM-DD.", "date").Query("user", "Apply this user's restrictions.")
            .Describe("Catalog", "A page of scenes, performers, studios, tags, groups or galleries",
                "Each item has its fields, its relations' ids by type and its images as Tessera URLs by role. An unknown parameter is 400; an unknown catalog or type 404.");
        browse.MapGet("/{type}/{id}", GetAsync).Produces<CatalogEntityDocument>().Problems(400, 401, 403, 404, 503)
            .Describe("Catalog", "One entity with its related entities' ids and titles", "404 when missing, soft-deleted or hidden from user.");

        var admin = app.MapGroup("/api/catalog/{name}").AddEndpointFilter(AdminEndpoints.RequireApiKey).AdminOnly();
        admin.MapCatalogAdmin();
    }

    /// <summary>A public catalog is open; any other name (a private catalog, or none at all, whose existence is not
    /// revealed before the key) needs the admin key.</summary>
    private static async ValueTask<object?> RequireAccess(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var sources = (CatalogSources)http.RequestServices.GetService(typeof(CatalogSources))!;
        if (http.Request.RouteValues["name"] is not string name || !sources.TryGet(name, out var source) || !source.Public)
        {
            return await AdminEndpoints.RequireApiKey(context, next);
        }

        // A public catalog with an access mode (Catalogs:NAME:Access) asks it; a forward user then replaces ?user=.
        var gate = (AccessGate)http.RequestServices.GetService(typeof(AccessGate))!;
        return await gate.AdmitAsync(http, name) ? await next(context) : Results.Empty;
    }

    private static async Task<IResult> StatusAsync(CatalogSources sources, ICatalogIndex index, string name, CancellationToken ct)
    {
        if (!sources.TryGet(name, out var source))
        {
            return UnknownCatalog(name);
        }

        var types = new List<CatalogTypeStatus>();
        foreach (var type in CatalogTypes.All)
        {
            var count = await index.CountLiveAsync(name, type, ct);
            var mark = await index.GetWatermarkAsync(name, type, ct);
            types.Add(new CatalogTypeStatus(type, count, mark?.UpdatedSince, mark?.LastFullSync, mark?.LastSync, mark?.LastResult is { } result ? Redactor.Text(result) : null));
        }

        return Results.Json(new CatalogStatusDocument(name, source.Public, types), CatalogJson.Default.CatalogStatusDocument);
    }

    private static async Task<IResult> StatsAsync(HttpContext context, CatalogSources sources, ICatalogIndex index, string name, CancellationToken ct)
    {
        if (!sources.TryGet(name, out _))
        {
            return UnknownCatalog(name);
        }

        if (context.Request.Query.Keys.Any(k => k != "user"))
        {
            return Bad("stats takes only 'user'");
        }

        var user = AccessGate.ForwardedUser(context) ?? context.Request.Query["user"].ToString();
        if (user.Length > 0 && !CatalogQueryParser.IsUserName(user))
        {
            return Bad("user must be 1-64 printable characters without '/'");
        }

        var stats = await index.StatsAsync(name, user.Length == 0 ? null : user, ct);
        return Results.Json(stats, CatalogJson.Default.CatalogStats);
    }

    private static async Task<IResult> BrowseAsync(HttpContext context, CatalogSources sources, ICatalogIndex index, string name, string type, CancellationToken ct)
    {
        if (Check(sources, name, type) is { } problem)
        {
            return problem;
        }

        var (query, why) = CatalogQueryParser.Parse(name, type, context.Request.Query);
        if (query is null)
        {
            return Bad(why!);
        }

        query = AccessGate.ForwardedUser(context) is { } forwarded ? query with { User = forwarded } : query;

        var page = await index.BrowseAsync(query, ct);
        var items = page.Items.Select(e => CatalogDocuments.Item(name, e, query.User)).ToList();
        return Results.Json(new CatalogPageDocument(page.Count, query.Page, query.PerPage, items), CatalogJson.Default.CatalogPageDocument);
    }

    private static async Task<IResult> GetAsync(HttpContext context, CatalogSources sources, ICatalogIndex index, string name, string type, string id, string? user,
        CancellationToken ct)
    {
        user = AccessGate.ForwardedUser(context) ?? user;
        if (Check(sources, name, type) is { } problem)
        {
            return problem;
        }

        if (!CatalogQueryParser.IsId(id) || (user is not null && !CatalogQueryParser.IsUserName(user)))
        {
            return Bad("the id must be 1-64 characters; user 1-64 printable characters without '/'");
        }

        if (await index.GetAsync(name, type, id, user, ct) is not { } entity)
        {
            return Results.Problem(detail: $"no {CatalogTypes.Singular(type)} '{id}' in catalog '{name}'", statusCode: StatusCodes.Status404NotFound);
        }

        var related = new Dictionary<string, List<RelatedDocument>>(StringComparer.Ordinal);
        foreach (var relation in entity.Relations.Take(500))
        {
            if (await index.GetAsync(name, relation.Type, relation.Id, user, ct) is { } other)
            {
                (related.TryGetValue(relation.Type, out var list) ? list : related[relation.Type] = []).Add(new RelatedDocument(other.Id, other.Title));
            }
        }

        return Results.Json(new CatalogEntityDocument(CatalogDocuments.Item(name, entity, user), related), CatalogJson.Default.CatalogEntityDocument);
    }

    private static IResult? Check(CatalogSources sources, string name, string type)
    {
        if (!sources.TryGet(name, out _))
        {
            return UnknownCatalog(name);
        }

        return CatalogTypes.IsKnown(type)
            ? null
            : Results.Problem(detail: $"unknown type '{type}'; a catalog has {string.Join(", ", CatalogTypes.All)}", statusCode: StatusCodes.Status404NotFound);
    }

    internal static IResult UnknownCatalog(string name) => Results.Problem(detail: $"unknown catalog '{name}'", statusCode: StatusCodes.Status404NotFound);

    internal static IResult Bad(string detail) => Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
