using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Index;
using Tessera.Core.Cache;
using Tessera.Core.Pipeline;

namespace Tessera.Server.Endpoints;

/// <summary>GET /api/negatives?reason=&amp;limit=&amp;offset= lists negative entries; DELETE /api/negatives
/// (optionally ?reason= or ?item=) clears them, so they are tried on their next request.</summary>
internal static class NegativeEndpoints
{
    private const int MaxLimit = 1000;

    public static void MapNegatives(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/negatives", async (INegativeIndex negatives, string? reason, int? limit, int? offset, CancellationToken ct) =>
        {
            if (!TryReason(reason, out var r))
            {
                return BadReason(reason);
            }

            var entries = await negatives.ListNegativesAsync(r, Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 100, 0, MaxLimit), ct);
            return Results.Ok(entries.Select(NegativeView.From));
        });

        app.MapDelete("/api/negatives", async (NegativeCache negatives, string? reason, string? item, CancellationToken ct) =>
        {
            if (!TryReason(reason, out var r))
            {
                return BadReason(reason);
            }

            var cleared = await negatives.ClearAsync(r, string.IsNullOrEmpty(item) ? null : item, ct);
            return Results.Ok(new { cleared });
        }).AddEndpointFilter(AdminEndpoints.RequireApiKey); // clearing is an admin action
    }

    private static IResult BadReason(string? reason) =>
        Results.Problem(detail: $"unknown reason '{reason}'; use {FailureReasons.Listing}", statusCode: StatusCodes.Status400BadRequest);

    private static bool TryReason(string? text, out FailureReason? reason)
    {
        reason = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var ok = FailureReasons.TryParse(text, out var r);
        reason = r;
        return ok;
    }
}
