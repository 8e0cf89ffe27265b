using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Storage;

namespace Tessera.Storage.S3;

/// <summary>Composition: call before AddTesseraCore, whose disk store registrations are TryAdd.</summary>
public static class S3StoreServiceCollectionExtensions
{
    /// <summary>Renditions in the bucket of <paramref name="options"/>, with the data folder's disk store as a first tier
    /// when Store:LocalTier is on (the default).</summary>
    public static IServiceCollection AddTesseraS3Store(this IServiceCollection services, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(sp => new S3RenditionStore(options,
            sp.GetService<ILogger<S3RenditionStore>>() ?? NullLogger<S3RenditionStore>.Instance));
        services.TryAddSingleton<IRenditionStore>(sp => options.LocalTier
            ? new TieredRenditionStore(sp.GetRequiredService<DiskRenditionStore>(), sp.GetRequiredService<S3RenditionStore>())
            : sp.GetRequiredService<S3RenditionStore>());
        return services;
    }
}
