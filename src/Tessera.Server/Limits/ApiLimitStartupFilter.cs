using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Tessera.Server.Limits;

/// <summary>Puts ASP.NET Core's rate limiter for /api/ routes (Limits:ApiPerMinute) first in any host's pipeline that
/// adds Tessera, before any endpoint work.</summary>
internal sealed class ApiLimitStartupFilter(ClientLimiter limiter) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        if (limiter.ApiOptions() is { } options)
        {
            app.UseRateLimiter(options);
        }

        next(app);
    };
}
