using Tessera.Core.Index;
using Tessera.Core.Items;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;
using Tessera.Core.Storage;

namespace Tessera.Core.Cache;

/// <summary>Drops the in-memory state an invalidation made stale, whichever replica published it: hot renditions, the
/// verified-file memo and this machine's copy of a purged rendition, fingerprints, derived and downloaded originals,
/// negative entries and resolved item ids. What is not here needs no event: single flights and source-failure
/// watches live only while a request runs, the path walk memo and the fingerprint memo check the file's stat, the
/// refused-size memo and the marks of private renditions are per key (a key is content and preset).</summary>
public sealed class InvalidationHandler(IInvalidationBus bus, HotCache hot, ThumbnailService thumbnails, Fingerprinter fingerprints,
    DerivedOriginals derived, RemoteOriginals remote, NegativeCache negatives, ItemRegistry registry, IRenditionStore store)
{
    private int _started;

    /// <summary>Subscribes to the bus (once): the server calls it at start.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            bus.Subscribe(ApplyAsync);
        }
    }

    public async Task ApplyAsync(InvalidationEvent invalidation)
    {
        ArgumentNullException.ThrowIfNull(invalidation);
        var keys = invalidation.Keys ?? [];
        switch (invalidation.Kind)
        {
            case InvalidationKind.Renditions:
                foreach (var named in keys)
                {
                    var dot = named.LastIndexOf('.');
                    var (key, ext) = dot > 0 ? (named[..dot], named[(dot + 1)..]) : (named, "");
                    hot.Remove(key);
                    thumbnails.ForgetVerified(key);
                    if (ext.Length > 0 && ext.All(char.IsAsciiLetterOrDigit) && RenditionKeyFormat.IsValid(key))
                    {
                        store.DropLocalCopy(key, ext);
                    }
                }

                break;
            case InvalidationKind.Files:
                foreach (var path in keys)
                {
                    fingerprints.Forget(path);
                }

                break;
            case InvalidationKind.Derived:
                derived.DropMemory(keys);
                remote.DropMemory(keys);
                break;
            case InvalidationKind.Negatives:
                negatives.Drop(invalidation.Reason, invalidation.Keys);
                break;
            case InvalidationKind.Items:
                registry.DropMemory();
                break;
            default:
                hot.Clear();
                thumbnails.ForgetVerified(null);
                fingerprints.ForgetAll();
                derived.DropMemory(null);
                remote.DropMemory(null);
                registry.DropMemory();
                await negatives.ReloadAsync(CancellationToken.None).ConfigureAwait(false);
                break;
        }
    }
}
