using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Core;
using Tessera.Server.Logging;

namespace Tessera.Server;

/// <summary>Builds the HTTP host: Kestrel, the thumbnail and content routes, health and stats.</summary>
public static class TesseraServer
{
    /// <summary>The standalone server on options built in code (tests, embedding without configuration).</summary>
    public static WebApplication Build(TesseraOptions options, IEnumerable<string> urls, Action<ILoggingBuilder>? logging = null,
        Action<IServiceCollection>? services = null) =>
        Build(options, configuration: null, urls, logging, services);

    /// <summary>The standalone server: <paramref name="configuration"/> (the settings file, environment and flags) also
    /// reaches ASP.NET Core, so its own keys (Logging, Kestrel) work in the same file; <paramref name="services"/> registers parts before Tessera's own (which are added with TryAdd), e.g. a catalog.</summary>
    public static WebApplication Build(TesseraOptions options, IConfiguration? configuration, IEnumerable<string> urls, Action<ILoggingBuilder>? logging = null,
        Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.ClearProviders();
        builder.Logging.AddTesseraConsole(options.Logging);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Information);
        builder.Logging.AddFilter("Tessera.Core.Cache.ThumbnailService", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning); // provider URLs are logged by Tessera on failure
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None); // see RequestScope

        logging?.Invoke(builder.Logging);
        services?.Invoke(builder.Services);
        builder.Services.AddTessera(options);

        // Background loops survive every non-fatal error themselves; what still escapes one is fatal, and the host
        // stops so the process exits non-zero (see FatalStop) and a supervisor restarts it.
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);

        var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        app.Use(next => new RequestScope(next, loggers.CreateLogger(RequestScope.Category)).InvokeAsync); // outermost: the access line has it too
        if (options.Logging.AccessLog)
        {
            // First, so it sees the status the exception handler and status pages set.
            var accessLogger = loggers.CreateLogger(AccessLog.Category);
            app.Use(next => new AccessLog(next, accessLogger).InvokeAsync);
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status503ServiceUnavailable });
        app.UseStatusCodePages();
        app.MapTessera();
        return app;
    }
}
