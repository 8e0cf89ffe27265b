using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tessera.Core;
using Tessera.Vips;

namespace Tessera.Server.Endpoints;

/// <summary>GET /healthz and GET /api/stats.</summary>
internal static class OperationsEndpoints
{
    public static void MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (TesseraCache cache) =>
        {
            var writable = IsWritable(cache.Folder.TempPath);
            var body = new
            {
                status = writable ? "ok" : "unhealthy",
                libvips = VipsRuntime.Version,
                dataFolder = cache.Folder.Root,
                dataWritable = writable,
                encodesRunning = cache.Service.Limiter.Running,
                encodesQueued = cache.Service.Limiter.Queued,
            };
            return writable ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        app.MapGet("/api/stats", async (TesseraCache cache, CancellationToken ct) => Results.Ok(await cache.StatsAsync(ct)));
    }

    private static bool IsWritable(string folder)
    {
        try
        {
            var probe = Path.Combine(folder, ".health-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
