using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Tessera.Core;
using Tessera.Core.Limits;
using Tessera.Core.Stats;

namespace Tessera.Server.Limits;

/// <summary>Per-client limits, a fixed one-minute window per client address: misses (a request that would fetch or
/// generate; asked through <see cref="MissAdmission"/> only once the hit check has failed) and /api/ calls (ASP.NET
/// Core's rate-limiting middleware). Idle clients' windows are dropped by the partitioned limiter.</summary>
internal sealed class ClientLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly LimitOptions _options;
    private readonly ProxyNetworks _proxies;
    private readonly RequestCounters _counters;
    private readonly PartitionedRateLimiter<string>? _misses;

    public ClientLimiter(TesseraOptions options, RequestCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Limits;
        _proxies = ProxyNetworks.Parse(_options.TrustedProxies);
        _counters = counters;
        if (_options.MissesPerMinute > 0)
        {
            _misses = PartitionedRateLimiter.Create<string, string>(client => PerMinute(client, _options.MissesPerMinute));
        }
    }

    /// <summary>The scope a thumbnail request runs in: its fetches and generations ask this client's miss limit.</summary>
    public IDisposable? BeginMisses(HttpContext context) =>
        _misses is null ? null : MissAdmission.Begin(() => Acquire(_misses, ClientAddress.Of(context, _proxies)));

    /// <summary>429 with Retry-After and a short reason; counted as rate_limited.</summary>
    public Task RefuseAsync(HttpContext context, TimeSpan retryAfter, string reason)
    {
        _counters.Increment(Counter.RateLimited);
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Results.Problem(detail: reason, statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
    }

    /// <summary>Whether the API limit applies to this request: its path is under /api.</summary>
    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>The options of ASP.NET Core's rate limiter for /api/ routes, or null when Limits:ApiPerMinute is 0. Only
    /// requests for which <see cref="IsApi"/> holds reach it (<see cref="ApiLimitStartupFilter"/>), so every request it
    /// sees is limited, per client.</summary>
    public RateLimiterOptions? ApiOptions()
    {
        if (_options.ApiPerMinute <= 0)
        {
            return null;
        }

        var perMinute = _options.ApiPerMinute;
        return new RateLimiterOptions
        {
            RejectionStatusCode = StatusCodes.Status429TooManyRequests,
            GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => PerMinute(ClientAddress.Of(context, _proxies), perMinute)),
            OnRejected = (rejected, _) => new ValueTask(RefuseAsync(rejected.HttpContext, RetryAfter(rejected.Lease),
                $"more than {perMinute} API requests a minute from this client (Limits:ApiPerMinute); retry later")),
        };
    }

    private static RateLimitPartition<string> PerMinute(string client, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static TimeSpan? Acquire(PartitionedRateLimiter<string> limiter, string client)
    {
        using var lease = limiter.AttemptAcquire(client);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : Window;
}
