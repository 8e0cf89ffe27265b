namespace Tessera.Core.Index;

/// <summary>Who renders a rendition key now, across replicas of one index: a lease per key with an owner and an
/// expiry. The owner renews it while it renders and releases it when done (or failed); a lease whose owner died
/// expires and is granted to the next asker. An index used by one process needs none
/// (<see cref="LocalRenditionLeases"/>): the in-process single flight already renders each key once there.</summary>
public interface IRenditionLeases
{
    /// <summary>True when <paramref name="owner"/> holds the lease on <paramref name="key"/> for
    /// <paramref name="duration"/> from now: it was free, expired, or already this owner's.</summary>
    Task<bool> TryAcquireAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Extends the lease by <paramref name="duration"/> from now; false when the owner no longer holds it.</summary>
    Task<bool> RenewAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up (nothing when the owner no longer holds it).</summary>
    Task ReleaseAsync(string key, string owner, CancellationToken cancellationToken);
}
