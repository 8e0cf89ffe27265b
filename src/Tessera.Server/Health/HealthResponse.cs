using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Core.Cache;
using Tessera.Core.Storage;

namespace Tessera.Server.Health;

/// <summary>The JSON body of /healthz and /readyz: the status; with the admin key also the failed checks' reason and
/// every check in order.</summary>
internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var healthy = report.Status == HealthStatus.Healthy;
        if (!Endpoints.AdminEndpoints.HasAdminKey(context))
        {
            // Checks name the data folder and libraries: only the operator (the admin key) sees them.
            return context.Response.WriteAsync(JsonSerializer.Serialize(new HealthStatusBody(healthy ? "ok" : "unhealthy"), HealthJson.Default.HealthStatusBody),
                context.RequestAborted);
        }

        var services = context.RequestServices;
        var limiter = services.GetRequiredService<GenerationLimiter>();
        var checks = report.Entries.Select(e => new CheckBody(e.Key, e.Value.Status == HealthStatus.Healthy, e.Value.Description ?? string.Empty)).ToList();
        var body = new HealthBody(
            healthy ? "ok" : "unhealthy",
            healthy ? null : string.Join("; ", checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")),
            checks.FirstOrDefault(c => c.Name == "libvips" && c.Ok)?.Detail,
            services.GetRequiredService<DataFolder>().Root,
            checks.FirstOrDefault(c => c.Name == "data folder")?.Ok ?? false,
            limiter.Running,
            limiter.Queued,
            checks)
        {
            EncodesRunningBackground = limiter.RunningBackground,
            EncodesQueuedLive = limiter.QueuedLive,
            EncodesQueuedBackground = limiter.QueuedBackground,
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, HealthJson.Default.HealthBody), context.RequestAborted);
    }
}

internal sealed record HealthBody(string Status, string? Reason, string? Libvips, string DataFolder, bool DataWritable, int EncodesRunning,
    int EncodesQueued, IReadOnlyList<CheckBody> Checks)
{
    /// <summary>Of <see cref="EncodesRunning"/>, the background (jobs, warm) ones.</summary>
    public int EncodesRunningBackground { get; init; }

    /// <summary>Of <see cref="EncodesQueued"/>, the live ones (bounded by Encoding:MaxQueued) and the background ones.</summary>
    public int EncodesQueuedLive { get; init; }

    public int EncodesQueuedBackground { get; init; }
}

/// <summary>What anyone may know: ok or unhealthy.</summary>
internal sealed record HealthStatusBody(string Status);

internal sealed record CheckBody(string Name, bool Ok, string Detail);

/// <summary>Written without reflection (NativeAOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(HealthBody))]
[JsonSerializable(typeof(HealthStatusBody))]
internal sealed partial class HealthJson : JsonSerializerContext;
