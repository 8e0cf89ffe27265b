using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Core.Index;

namespace Tessera.Server.Health;

/// <summary>Readiness only: unhealthy, naming the full disk, while the index is read-only (stored renditions are
/// served, misses answer 503). Liveness stays ok: the process is serving and will leave this state by itself.</summary>
internal sealed class IndexWritableCheck(IIndexAvailability index) : IHealthCheck
{
    public const string Name = "index writable";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(index.ReadOnlyReason is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy("read-write"));
}
