using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Stats;
using Tessera.Server.Metrics;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>GET /metrics: the Tessera meter in the Prometheus text exposition format (version 0.0.4).</summary>
internal static class MetricsEndpoints
{
    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", async (StatsReader stats, PrometheusExporter exporter, CancellationToken ct) =>
        {
            await stats.ReadAsync(ct); // refreshes the gauges (kept totals: no scan)
            return Results.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8");
        }).Produces<string>(StatusCodes.Status200OK, "text/plain")
        .Describe("Operations", "Prometheus metrics", "The text exposition format 0.0.4: requests by outcome, generation durations, cache bytes, " +
            "evictions, encodes running and queued, libvips warnings.");
}
