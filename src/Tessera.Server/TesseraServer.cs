using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Core;
using Tessera.Core.Remote;
using Tessera.Server.Endpoints;
using Tessera.Index.Sqlite;

namespace Tessera.Server;

/// <summary>Builds the HTTP host: Kestrel, the thumbnail and content routes, health and stats.</summary>
public static class TesseraServer
{
    public static WebApplication Build(TesseraOptions options, IEnumerable<string> urls, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Information);
        builder.Logging.AddFilter("Tessera.Core.Cache.ThumbnailService", LogLevel.Warning);
        logging?.Invoke(builder.Logging);

        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning); // provider URLs are logged by Tessera on failure
        builder.Services.AddTesseraRemoteHttp(options.Remote);
        builder.Services.AddSingleton(sp => TesseraCache.Open(options, sp.GetRequiredService<ILoggerFactory>(), SqliteIndex.Open, sp.GetRequiredService<IHttpClientFactory>()));
        builder.Services.AddSingleton(sp => new Tessera.Core.Health.HealthChecker(sp.GetRequiredService<TesseraCache>()));
        builder.Services.AddHostedService<CounterFlusher>();
        builder.Services.AddHostedService<EvictionService>();
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        _ = app.Services.GetRequiredService<TesseraCache>(); // open the data folder now: bad settings fail at start, not at the first request
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status503ServiceUnavailable });
        app.UseStatusCodePages();
        app.MapThumbnails();
        app.MapItems();
        app.MapSigned();
        app.MapContent();
        app.MapOperations();
        app.MapMetrics();
        app.MapAdmin();
        app.MapNegatives();
        return app;
    }
}
