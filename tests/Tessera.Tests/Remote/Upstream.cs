using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tessera.Tests.Remote;

/// <summary>A real Kestrel "provider" on a free 127.0.0.1 port that counts every request it receives.</summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<IHeaderDictionary> _headers = new();
    private int _requests;

    private Upstream(WebApplication app) => App = app;

    public WebApplication App { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    /// <summary>Every request that reached the server, whatever its path.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyList<IHeaderDictionary> RequestHeaders => [.. _headers];

    /// <summary>Starts the server with the routes <paramref name="map"/> adds (default: <see cref="ProviderRoutes"/>)
    /// on <paramref name="url"/> (default: a free port on 127.0.0.1).</summary>
    public static async Task<Upstream> StartAsync(Action<WebApplication, Upstream>? map = null, string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        var upstream = new Upstream(app);
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref upstream._requests);
            upstream._hits.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, n) => n + 1);
            upstream._headers.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            await next(context);
        });
        (map ?? ProviderRoutes.Map)(app, upstream);
        await app.StartAsync();
        upstream.BaseAddress = new Uri(app.Urls.Single());
        return upstream;
    }

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(stop.Token);
        await App.DisposeAsync();
    }
}
