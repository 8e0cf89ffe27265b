using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Server.Endpoints;

namespace Tessera.Server.Dashboard;

/// <summary>GET /api/stats/history (admin): the last day's samples, one a minute, oldest first.</summary>
internal static class StatsHistoryEndpoints
{
    public static void MapStatsHistory(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/stats/history", (StatsHistory history) =>
                Results.Json(new StatsHistoryDocument((int)StatsSampler.Every.TotalSeconds, history.Snapshot()), DashboardJson.Default.StatsHistoryDocument))
            .AddEndpointFilter(AdminEndpoints.RequireApiKey)
            .WithName("GetStatsHistory").WithSummary("The last 24 hours of cache totals, sampled every minute")
            .Produces<StatsHistoryDocument>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
}
