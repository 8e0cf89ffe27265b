using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Core.Health;

namespace Tessera.Server.Health;

/// <summary>One of Core's checks (named by its registration) as an ASP.NET Core health check.</summary>
internal sealed class TesseraHealthCheck(HealthChecker checker) : IHealthCheck
{
    public const string Live = "live";
    public const string Ready = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var check = await checker.CheckAsync(context.Registration.Name, cancellationToken).ConfigureAwait(false);
        return check.Ok ? HealthCheckResult.Healthy(check.Detail) : HealthCheckResult.Unhealthy(check.Detail);
    }
}
