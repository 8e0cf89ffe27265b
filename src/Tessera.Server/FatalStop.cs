using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Tessera.Server;

/// <summary>Why a host stopped by itself: the fatal error of a background service, if one ended that way.</summary>
public static class FatalStop
{
    /// <summary>The first background service's fatal exception, or null when the host stopped normally.</summary>
    public static Exception? Of(IServiceProvider services) =>
        services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Select(s => s.ExecuteTask)
            .FirstOrDefault(t => t is { IsFaulted: true })?.Exception?.GetBaseException();
}
