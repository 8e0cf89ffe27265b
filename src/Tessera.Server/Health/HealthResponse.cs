using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Core.Cache;
using Tessera.Core.Storage;

namespace Tessera.Server.Health;

/// <summary>The JSON body of /healthz and /readyz: status, the failed checks' reason, and every check in order.</summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var services = context.RequestServices;
        var limiter = services.GetRequiredService<GenerationLimiter>();
        var checks = report.Entries.Select(e => new { name = e.Key, ok = e.Value.Status == HealthStatus.Healthy, detail = e.Value.Description ?? string.Empty }).ToList();
        var healthy = report.Status == HealthStatus.Healthy;
        var body = new
        {
            status = healthy ? "ok" : "unhealthy",
            reason = healthy ? null : string.Join("; ", checks.Where(c => !c.ok).Select(c => $"{c.name}: {c.detail}")),
            libvips = checks.FirstOrDefault(c => c.name == "libvips" && c.ok)?.detail,
            dataFolder = services.GetRequiredService<DataFolder>().Root,
            dataWritable = checks.FirstOrDefault(c => c.name == "data folder")?.ok ?? false,
            encodesRunning = limiter.Running,
            encodesQueued = limiter.Queued,
            checks,
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), context.RequestAborted);
    }
}
