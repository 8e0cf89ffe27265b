using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Core.Remote;

/// <summary>The one HttpClient stack for remote originals: a named IHttpClientFactory client whose primary handler is
/// a pooled SocketsHttpHandler with the SSRF guard as its ConnectCallback.</summary>
public static class RemoteHttp
{
    public const string ClientName = "tessera-remote";

    public static IServiceCollection AddTesseraRemoteHttp(this IServiceCollection services, RemoteOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var networks = options.ParseAllowedNetworks(); // the options were validated when they were read
        services.AddHttpClient(ClientName, client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan) // RemoteFetcher times each attempt
            .ConfigurePrimaryHttpMessageHandler(() => CreateHandler(options, networks))
            .SetHandlerLifetime(System.Threading.Timeout.InfiniteTimeSpan); // the handler recycles connections itself (PooledConnectionLifetime)
        return services;
    }

    /// <summary>For hosts without DI (the CLI). The returned factory's service provider lives as long as the process.</summary>
    public static IHttpClientFactory CreateFactory(RemoteOptions options)
    {
#pragma warning disable CA2000 // The provider owns the factory and its handlers; disposing it would break the factory.
        var provider = new ServiceCollection().AddTesseraRemoteHttp(options).BuildServiceProvider();
#pragma warning restore CA2000
        return provider.GetRequiredService<IHttpClientFactory>();
    }

    /// <summary>A stack that connects only to <paramref name="origins"/> (host and port), whatever address they
    /// resolve to: a catalog's upstream, which the operator named, and nothing else.</summary>
    public static SocketsHttpHandler CreatePinnedHandler(RemoteOptions options, IEnumerable<Uri> origins)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(origins);
        return CreateHandler(options, [], pinned: origins.Select(ConnectGuard.Pin).ToHashSet(StringComparer.Ordinal));
    }

    internal static SocketsHttpHandler CreateHandler(RemoteOptions options, IReadOnlyList<IPNetwork> allowedNetworks, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null,
        IReadOnlySet<string>? pinned = null) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = options.Timeout,
        MaxConnectionsPerServer = options.MaxConnectionsPerHost,
        AllowAutoRedirect = false, // RemoteFetcher follows redirects itself so every hop is checked
        AutomaticDecompression = DecompressionMethods.None, // images are compressed already; no decompression bombs
        UseCookies = false,
        UseProxy = false, // a proxy would hide the real destination from the guard
        MaxResponseHeadersLength = 64,
        MaxResponseDrainSize = 64 * 1024, // an abandoned (too large, not an image) body is cut off, not drained

        ConnectCallback = new ConnectGuard(allowedNetworks, resolve, pinned).ConnectAsync,
    };
}
