namespace Tessera.Core.Index;

/// <summary>The leases of an index used by one process: every lease is granted at once, with no I/O.</summary>
public sealed class LocalRenditionLeases : IRenditionLeases
{
    public static LocalRenditionLeases Instance { get; } = new();

    private LocalRenditionLeases()
    {
    }

    public Task<bool> TryAcquireAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> RenewAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task ReleaseAsync(string key, string owner, CancellationToken cancellationToken) => Task.CompletedTask;
}
