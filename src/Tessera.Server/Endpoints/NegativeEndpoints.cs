using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Cache;
using Tessera.Core.Index;
using Tessera.Core.Pipeline;
using Tessera.Core.Redaction;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>GET /api/negatives?reason=&amp;limit=&amp;offset= lists negative entries; DELETE /api/negatives
/// (optionally ?reason= or ?item=, an item as listed) clears them, so they are tried on their next request. Both need the admin key.</summary>
internal static class NegativeEndpoints
{
    private const int MaxLimit = 1000;

    public static void MapNegatives(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/negatives", async (INegativeIndex negatives, LibraryPaths paths, string? reason, int? limit, int? offset, CancellationToken ct) =>
        {
            if (!TryReason(reason, out var r))
            {
                return BadReason(reason);
            }

            var entries = await negatives.ListNegativesAsync(r, Math.Max(0, offset ?? 0), Math.Clamp(limit ?? 100, 0, MaxLimit), ct);
            return Results.Json<IReadOnlyList<NegativeView>>([.. entries.Select(e => NegativeView.From(e, paths))], ResponseJson.Default.IReadOnlyListNegativeView);
        }).AddEndpointFilter(AdminEndpoints.RequireApiKey) // entries name files and provider URLs
        .AdminOnly().Produces<IReadOnlyList<NegativeView>>().Problems(400)
        .Describe("Cache", "Items that could not be thumbnailed", "Reason, attempts and when each is tried again; library files as LIBRARY/path, provider URLs redacted.");

        app.MapDelete("/api/negatives", async (NegativeCache negatives, LibraryPaths paths, string? reason, string? item, CancellationToken ct) =>
        {
            if (!TryReason(reason, out var r))
            {
                return BadReason(reason);
            }

            var cleared = await negatives.ClearAsync(r, string.IsNullOrEmpty(item) ? null : paths.Unshow(item), ct);
            return Results.Json(new NegativesClearedDocument(cleared), ResponseJson.Default.NegativesClearedDocument);
        }).AddEndpointFilter(AdminEndpoints.RequireApiKey) // clearing is an admin action
        .AdminOnly().Produces<NegativesClearedDocument>().Problems(400)
        .Describe("Cache", "Clear negative entries", "By reason, by item (LIBRARY/path or a provider URL), or all: they are tried on their next request.");
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
