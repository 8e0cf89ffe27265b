namespace Tessera.Core.Cache;

/// <summary>How replicas sharing an index agree on who renders a key (Replicas:*). Unused on a single-process index.</summary>
public sealed class RenditionLeaseOptions
{
    /// <summary>How long a rendition lease lasts (Replicas:LeaseTime): a dead owner's key is taken over this long after
    /// its last renewal. The owner renews it every third of this while it renders, so a slow render keeps it.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a replica waits for another's render of the same key (Replicas:MaxWait); past it, it
    /// renders the key itself (logged): an answer in bounded time beats strictly one render.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (LeaseTime < TimeSpan.FromSeconds(1) || MaxWait < TimeSpan.Zero)
        {
            throw new ArgumentException("Replicas needs LeaseTime >= 1s and MaxWait >= 0");
        }
    }
}
