using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Catalog;
using Tessera.Core.Index;
using Tessera.Core.Jobs;
using Tessera.Server.Endpoints;
using Tessera.Server.Jobs;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Catalog;

/// <summary>Changing a catalog, behind the admin key: a user's restrictions, the webhook, a sync job.</summary>
internal static class CatalogAdminEndpoints
{
    private const string RulesShape = """expected a JSON array of rules: [{"type": "tags|studios|groups|performers", "mode": "include|exclude", "ids": ["12"]}, …]""";
    private const string NotifyShape = """expected a JSON body: {"type": "scene", "id": "123", "action": "create|update|destroy"}""";
    private static readonly string[] RuleTypes = [CatalogTypes.Tags, CatalogTypes.Studios, CatalogTypes.Groups, CatalogTypes.Performers];
    private static readonly string[] Modes = ["full", "incremental", "smart"];

    public static void MapCatalogAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/users/{user}/restrictions", GetRulesAsync).Produces<RestrictionsDocument>().Problems(400, 404)
            .Describe("Catalog", "A user's restriction rules");
        admin.MapPut("/users/{user}/restrictions", PutRulesAsync).Body<List<RuleBody>>().Produces<RestrictionsDocument>().Problems(400, 404, 413)
            .Describe("Catalog", "Replace a user's restriction rules", "Types tags, studios, groups, performers; modes include, exclude; at most 50 rules of 1–1000 ids; [] removes them.");
        admin.MapPost("/notify", NotifyAsync).Body<NotifyBody>().Produces<NotifyDocument>(StatusCodes.Status202Accepted).Problems(400, 404, 413, 502)
            .Describe("Catalog", "An upstream webhook: an entity was created, updated or destroyed", "The entity is fetched and upserted, or soft-deleted, and its cached images forgotten.");
        admin.MapPost("/sync", SyncAsync).Body<SyncBody>(optional: true).Produces<JobDocument>(StatusCodes.Status202Accepted).Problems(400, 404, 413)
            .Describe("Catalog", "Sync a catalog", "mode full, incremental or smart (default): a catalog-sync job, answered like POST /api/jobs.");
    }

    private static async Task<IResult> GetRulesAsync(CatalogSources sources, ICatalogIndex index, string name, string user, CancellationToken ct)
    {
        if (CheckUser(sources, name, user) is { } problem)
        {
            return problem;
        }

        var rules = await index.GetRulesAsync(name, user, ct);
        return Results.Json(new RestrictionsDocument(user, rules), CatalogJson.Default.RestrictionsDocument);
    }

    private static async Task<IResult> PutRulesAsync(HttpContext context, CatalogSources sources, ICatalogIndex index, string name, string user)
    {
        if (CheckUser(sources, name, user) is { } problem)
        {
            return problem;
        }

        var (body, empty, bad) = await JsonBody.ReadAsync(context, CatalogJson.Default.ListRuleBody, JsonBody.SmallCap, RulesShape);
        if (bad is not null)
        {
            return bad;
        }

        var rules = new List<CatalogRule>();
        foreach (var (rule, i) in (body ?? []).Select((r, i) => (r, i)))
        {
            if (rule is null || !RuleTypes.Contains(rule.Type, StringComparer.Ordinal))
            {
                return CatalogEndpoints.Bad($"rule {i}: type must be one of {string.Join(", ", RuleTypes)}");
            }

            if (rule.Mode is not ("include" or "exclude"))
            {
                return CatalogEndpoints.Bad($"rule {i}: mode must be include or exclude");
            }

            if (rule.Ids is not { Count: > 0 and <= 1000 } ids || ids.Any(id => id is null || !CatalogQueryParser.IsId(id)))
            {
                return CatalogEndpoints.Bad($"rule {i}: ids must be 1 to 1000 ids of 1-64 characters");
            }

            rules.Add(new CatalogRule(rule.Type!, rule.Mode, [.. ids.Distinct(StringComparer.Ordinal)]));
        }

        if (rules.Count > 50)
        {
            return CatalogEndpoints.Bad("at most 50 rules per user");
        }

        _ = empty; // an empty body, like [], removes the user's rules
        await index.PutRulesAsync(name, user, rules, context.RequestAborted);
        return Results.Json(new RestrictionsDocument(user, rules), CatalogJson.Default.RestrictionsDocument);
    }

    private static async Task<IResult> NotifyAsync(HttpContext context, CatalogSources sources, CatalogNotifier notifier, string name)
    {
        if (!sources.TryGet(name, out _))
        {
            return CatalogEndpoints.UnknownCatalog(name);
        }

        var (body, _, bad) = await JsonBody.ReadAsync(context, CatalogJson.Default.NotifyBody, JsonBody.SmallCap, NotifyShape);
        if (bad is not null || body is null)
        {
            return bad ?? CatalogEndpoints.Bad(NotifyShape);
        }

        // A plugin hook names the type in the singular ("scene"); the plural is accepted too.
        var type = CatalogTypes.All.FirstOrDefault(t => t == body.Type || CatalogTypes.Singular(t) == body.Type);
        if (type is null || body.Id is null || !CatalogQueryParser.IsId(body.Id) || !CatalogNotifier.Actions.Contains(body.Action, StringComparer.Ordinal))
        {
            return CatalogEndpoints.Bad(NotifyShape);
        }

        try
        {
            var result = await notifier.NotifyAsync(name, type, body.Id, body.Action!, context.RequestAborted);
            return Results.Json(new NotifyDocument(type, body.Id, body.Action!, result), CatalogJson.Default.NotifyDocument, statusCode: StatusCodes.Status202Accepted);
        }
        catch (UpstreamException e)
        {
            return Results.Problem(detail: $"the upstream could not be asked: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<IResult> SyncAsync(HttpContext context, CatalogSources sources, [FromServices] IJobService jobs, string name)
    {
        if (!sources.TryGet(name, out _))
        {
            return CatalogEndpoints.UnknownCatalog(name);
        }

        var (body, _, bad) = await JsonBody.ReadAsync(context, CatalogJson.Default.SyncBody, JsonBody.SmallCap, """expected no body or {"mode": "full|incremental|smart"}""");
        if (bad is not null)
        {
            return bad;
        }

        var mode = body?.Mode ?? "smart";
        if (!Modes.Contains(mode, StringComparer.Ordinal))
        {
            return CatalogEndpoints.Bad($"mode '{mode}' must be full, incremental or smart");
        }

        return await JobEndpoints.SubmitAsync(context, jobs, new JobRequest("catalog-sync", Library: name, Mode: mode));
    }

    private static IResult? CheckUser(CatalogSources sources, string name, string user)
    {
        if (!sources.TryGet(name, out _))
        {
            return CatalogEndpoints.UnknownCatalog(name);
        }

        return CatalogQueryParser.IsUserName(user) ? null : CatalogEndpoints.Bad("user must be 1-64 printable characters without '/'");
    }
}
