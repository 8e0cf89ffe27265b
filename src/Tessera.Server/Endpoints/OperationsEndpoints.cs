using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Core.Stats;
using Tessera.Server.Health;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>GET /healthz (liveness), GET /readyz (readiness: also the encode queue) — status only, details with the
/// admin key — and GET /api/stats (admin key).</summary>
internal static class OperationsEndpoints
{
    public static void MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", Options(TesseraHealthCheck.Live));
        app.MapHealthChecks("/readyz", Options(TesseraHealthCheck.Ready));
        app.MapGet("/api/stats", async (StatsReader stats, CancellationToken ct) => Results.Json(await stats.ReadAsync(ct), ResponseJson.Default.StatsReport))
            .AddEndpointFilter(AdminEndpoints.RequireApiKey) // budget, disk and negatives are the operator's business
            .AdminOnly().Produces<StatsReport>().Describe("Operations", "Cache figures", "Items, renditions, bytes against the budget, hits and misses, " +
                "free disk, negatives by reason, generation percentiles and per-preset counts.");
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = r => r.Tags.Contains(tag),
        ResponseWriter = HealthResponse.WriteAsync,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
    };
}
