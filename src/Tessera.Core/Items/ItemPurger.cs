using Tessera.Core.Cache;
using Tessera.Core.Sources.Chain;

namespace Tessera.Core.Items;

/// <summary>Purges an app item: its registrations and aliases, the renditions made from its registered file and from
/// its downloads (with those downloads, roles served only through a provider template included), and its negative entries — in the index and in every in-memory map.</summary>
public sealed class ItemPurger(ItemRegistry registry, ItemResolver resolver, CacheAdmin admin, RemoteOriginals remote, NegativeCache negatives,
    TesseraOptions options)
{
    public async Task<ItemPurgeResult> PurgeAsync(string library, string normalizedId, CancellationToken cancellationToken)
    {
        var described = await registry.DescribeAsync(library, normalizedId, cancellationToken).ConfigureAwait(false);
        var prefix = $"item:{library}/{described.Item.Key}/";
        var roles = described.Registrations.Select(r => r.Role).Append("cover")
            .Concat(negatives.Items(prefix).Select(i => i[prefix.Length..]))
            .Concat(await TemplateRolesAsync(library, described.Item.Id, cancellationToken).ConfigureAwait(false))
            .Distinct(StringComparer.Ordinal).ToList();

        var renditions = 0;
        var bytes = 0L;
        var urls = new HashSet<Uri>();
        foreach (var role in roles)
        {
            var item = await resolver.ResolveAsync(library, described.Item.Id, role, cancellationToken).ConfigureAwait(false);
            var file = item.FullPath ?? (item.Registration?.Path is { } p && item.Folder is { } f ? Path.Combine(f.Root, p) : null);
            if (file is not null)
            {
                var purged = await admin.PurgeFileAsync(file, cancellationToken).ConfigureAwait(false);
                (renditions, bytes) = (renditions + purged.Renditions, bytes + purged.Bytes);
            }

            urls.UnionWith(item.Urls);
        }

        var downloaded = await remote.ForgetAsync(urls, cancellationToken).ConfigureAwait(false);
        var fromUrls = await admin.PurgeContentAsync([.. downloaded.Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        var negativeEntries = await negatives.ForgetPrefixAsync(prefix, cancellationToken).ConfigureAwait(false);
        await registry.PurgeAsync(library, described.Item.Id, cancellationToken).ConfigureAwait(false);
        return new ItemPurgeResult(described.Item, described.Registrations.Count, described.Aliases.Count, renditions + fromUrls.Renditions,
            bytes + fromUrls.Bytes, negativeEntries);
    }

    /// <summary>Roles served only through a provider template with {role} (no registration names them): read back
    /// from the URLs downloaded for this id.</summary>
    private async Task<IReadOnlyList<string>> TemplateRolesAsync(string library, string id, CancellationToken cancellationToken)
    {
        var roles = new List<string>();
        foreach (var template in options.Providers.GetValueOrDefault(library) ?? [])
        {
            if (ProviderTemplates.RoleSlot(template, id) is var (before, _))
            {
                var urls = await remote.UrlsFromAsync(before, cancellationToken).ConfigureAwait(false);
                roles.AddRange(urls.Select(u => ProviderTemplates.RoleOf(template, id, u)).OfType<string>());
            }
        }

        return roles;
    }
}

/// <summary>What purging an app item removed.</summary>
public sealed record ItemPurgeResult(Index.ItemRef Item, int Registrations, int Aliases, int Renditions, long Bytes, int Negatives);
