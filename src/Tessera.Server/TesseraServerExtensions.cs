using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Core;
using Tessera.Core.Configuration;
using Tessera.Core.Health;
using Tessera.Index.Postgres;
using Tessera.Index.Sqlite;
using Tessera.Server.Access;
using Tessera.Server.Background;
using Tessera.Server.Catalog;
using Tessera.Server.Dashboard;
using Tessera.Server.Endpoints;
using Tessera.Server.Health;
using Tessera.Server.Limits;
using Tessera.Server.Metrics;
using Tessera.Server.OpenApi;
using Tessera.Storage.S3;

namespace Tessera.Server;

/// <summary>Tessera in an ASP.NET Core app: <c>services.AddTessera(configuration)</c> then <c>app.MapTessera()</c>.
/// The standalone server (<see cref="TesseraServer"/>) is exactly this plus Kestrel settings and logging.</summary>
public static class TesseraServerExtensions
{
    /// <summary>The core, the index (the SQLite file in the data folder, or PostgreSQL with Index = postgres:…), the store (the data folder, or Store:Location's bucket in front of it), and what the endpoints need: health checks, the
    /// /metrics exporter, background counter flushes and eviction, and start-up work before the first request.
    /// <paramref name="configuration"/> holds Tessera's keys at its root (pass a section to nest them).</summary>
    public static IServiceCollection AddTessera(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddTessera(TesseraConfiguration.Read(configuration));
    }

    public static IServiceCollection AddTessera(this IServiceCollection services, TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Store.IsS3)
        {
            services.AddTesseraS3Store(options.Store);
        }

        services.AddTesseraCore(options);
        if (options.PostgresIndex is { } postgres)
        {
            services.AddTesseraPostgresIndex(postgres);
        }
        else
        {
            services.AddTesseraSqliteIndex(degradeWhenFull: true);
        }

        return services.AddTesseraServer();
    }

    /// <summary>The server's own parts, for hosts that compose the core and an index themselves.</summary>
    public static IServiceCollection AddTesseraServer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ItemResponder>();
        services.TryAddSingleton(sp => sp.GetRequiredService<TesseraOptions>().Access);
        services.TryAddSingleton<ForwardAuthenticator>();
        services.TryAddSingleton<PrivateRenditions>();
        services.TryAddSingleton<AccessGate>();
        services.TryAddSingleton<ClientLimiter>();
        services.AddRateLimiter(_ => { }); // the /api/ limiter's options come from ClientLimiter, in ApiLimitStartupFilter
        services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ApiLimitStartupFilter>();
        services.TryAddSingleton<PrometheusExporter>();
        services.AddHostedService<TesseraStartupService>();
        services.TryAddSingleton<BackgroundLoops>();
        services.AddHostedService<CounterFlusher>();
        services.AddHostedService<AccessFlusher>();
        services.AddHostedService<EvictionService>();
        services.AddHostedService<JobsService>();
        services.AddHostedService<IndexReopener>();
        services.TryAddSingleton<DashboardSessions>();
        services.TryAddSingleton<DashboardAssets>();
        services.TryAddSingleton<StatsHistory>();
        services.AddHostedService<StatsSampler>();
        services.AddHostedService<HeapSettler>();
        services.AddProblemDetails();
        services.AddTesseraOpenApi();
        var checks = services.AddHealthChecks();
        foreach (var name in HealthChecker.Names)
        {
            checks.AddCheck<TesseraHealthCheck>(name, tags: HealthChecker.IsReadinessOnly(name) ? [TesseraHealthCheck.Ready] : [TesseraHealthCheck.Live, TesseraHealthCheck.Ready]);
        }

        checks.AddCheck<BackgroundHealthCheck>(BackgroundHealthCheck.Name, tags: [TesseraHealthCheck.Ready]);
        checks.AddCheck<IndexWritableCheck>(IndexWritableCheck.Name, tags: [TesseraHealthCheck.Ready]);

        return services;
    }

    /// <summary>Maps every Tessera route: /t/, /i/, /r/, /c/, /healthz, /readyz, /metrics, /api/…, /openapi/v1.json and the dashboard at /
    /// (its page, files and sign-in; not with <c>Dashboard:Enabled</c> false, which leaves / to the app).</summary>
    public static IEndpointRouteBuilder MapTessera(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapThumbnails();
        app.MapItems();
        app.MapSigned();
        app.MapManifest();
        app.MapContent();
        app.MapOperations();
        app.MapMetrics();
        app.MapAdmin();
        app.MapNegatives();
        app.MapJobs();
        app.MapCatalog();
        if (app.ServiceProvider.GetRequiredService<TesseraOptions>().DashboardEnabled)
        {
            app.MapDashboard();
        }
        else
        {
            app.MapDashboardApi();
        }
        app.MapOpenApi(); // /openapi/v1.json
        return app;
    }
}
