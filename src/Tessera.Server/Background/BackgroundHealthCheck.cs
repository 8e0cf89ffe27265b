using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tessera.Server.Background;

/// <summary>Readiness only: unhealthy, naming the loop and its last error, while a background loop keeps failing.
/// A failing flush does not stop serving, so liveness stays ok.</summary>
internal sealed class BackgroundHealthCheck(BackgroundLoops loops) : IHealthCheck
{
    public const string Name = "background";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failing = loops.Failing();
        return Task.FromResult(failing.Count == 0
            ? HealthCheckResult.Healthy($"{string.Join(", ", loops.Names)} ok")
            : HealthCheckResult.Unhealthy(string.Join("; ", failing)));
    }
}
