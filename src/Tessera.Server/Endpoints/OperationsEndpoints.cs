using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core;
using Tessera.Core.Health;

namespace Tessera.Server.Endpoints;

/// <summary>GET /healthz, GET /readyz and GET /api/stats.</summary>
internal static class OperationsEndpoints
{
    public static void MapOperations(this IEndpointRouteBuilder app)
    {
        // Liveness: everything but the queue (a busy server is alive). Readiness adds the queue.
        app.MapGet("/healthz", (HealthChecker checker, TesseraCache cache, CancellationToken ct) => HealthAsync(checker, cache, includeQueue: false, ct));
        app.MapGet("/readyz", (HealthChecker checker, TesseraCache cache, CancellationToken ct) => HealthAsync(checker, cache, includeQueue: true, ct));

        app.MapGet("/api/stats", async (TesseraCache cache, CancellationToken ct) => Results.Ok(await cache.StatsAsync(ct)));
    }

    private static async Task<IResult> HealthAsync(HealthChecker checker, TesseraCache cache, bool includeQueue, CancellationToken ct)
    {
        var report = await checker.CheckAsync(ct);
        var checks = report.Checks.Where(c => includeQueue || c.Name != "queue").ToList();
        var healthy = checks.All(c => c.Ok);
        var body = new
        {
            status = healthy ? "ok" : "unhealthy",
            reason = healthy ? null : string.Join("; ", checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")),
            libvips = checks.FirstOrDefault(c => c.Name == "libvips" && c.Ok)?.Detail,
            dataFolder = cache.Folder.Root,
            dataWritable = checks.Single(c => c.Name == "data folder").Ok,
            encodesRunning = cache.Service.Limiter.Running,
            encodesQueued = cache.Service.Limiter.Queued,
            checks = checks.Select(c => new { name = c.Name, ok = c.Ok, detail = c.Detail }),
        };
        return Results.Json(body, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
