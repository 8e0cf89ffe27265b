using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Core;
using Tessera.Server;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http;

/// <summary>The real server (Kestrel on a free loopback port) over a temp data folder and a temp library "lib".
/// The temp folder looks like: root/data, root/lib (the library), and whatever the test puts beside them.</summary>
public sealed class TesseraHost : IAsyncDisposable
{
    private readonly TempDir _temp;

    private TesseraHost(TempDir temp, WebApplication app, Uri baseAddress, HttpClient client)
    {
        _temp = temp;
        App = app;
        BaseAddress = baseAddress;
        Client = client;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>A client for ordinary requests, with the base address set.</summary>
    public HttpClient Client { get; }

    public string Root => _temp.Path;

    public string LibraryPath => Path.Combine(_temp.Path, "lib");

    public CacheServices Cache => new(App.Services);

    /// <summary>An admin key tests configure (<c>o.AdminApiKey = TesseraHost.AdminKey</c>) to see operator answers.</summary>
    public const string AdminKey = "tessera-tests-admin-key";

    /// <summary>A GET carrying <see cref="AdminKey"/>.</summary>
    public Task<HttpResponseMessage> GetAsAdminAsync(string path, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-Api-Key", AdminKey);
        return Client.SendAsync(request, cancellationToken);
    }

    /// <summary>Creates the folders, lets <paramref name="populate"/> fill the temp root (the library is root/lib),
    /// then builds and starts the server. <paramref name="beforeStart"/> may add test middleware; it runs after the
    /// server's own middleware and before the endpoints.</summary>
    public static async Task<TesseraHost> StartAsync(Action<string> populate, Action<TesseraOptions>? configure = null, Action<WebApplication>? beforeStart = null,
        Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(populate);
        var temp = new TempDir();
        try
        {
            var library = temp.Sub("lib");
            populate(temp.Path);
            var options = new TesseraOptions { DataPath = Path.Combine(temp.Path, "data") };
            options.Libraries["lib"] = library;
            options.Jobs.Enabled = false; // background jobs would warm the library behind a test's back; job tests turn them on
            options.Limits.MissesPerMinute = 0; // per-client limits would meet tests that make many requests; limit tests turn them on
            options.Limits.ApiPerMinute = 0;
            configure?.Invoke(options);

            var app = TesseraServer.Build(options, ["http://127.0.0.1:0"], logging => logging.ClearProviders(), services);
            beforeStart?.Invoke(app);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            var baseAddress = new Uri(address);
            var client = NewClient(baseAddress, maxConnections: 16);
            return new TesseraHost(temp, app, baseAddress, client);
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    /// <summary>A client of its own, e.g. with more connections for concurrency tests.</summary>
    public static HttpClient NewClient(Uri baseAddress, int maxConnections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await App.StopAsync();
        }
        finally
        {
            await App.DisposeAsync();
            _temp.Dispose();
        }
    }
}
