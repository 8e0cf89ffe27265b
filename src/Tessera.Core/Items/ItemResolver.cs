using Tessera.Core.Remote;
using Tessera.Core.Sources;
using Tessera.Core.Sources.Chain;

namespace Tessera.Core.Items;

/// <summary>What an app's id names: its canonical item, its registration, and every source to try in order — the
/// registered file's chain, the registered URLs, then the library's provider templates.</summary>
public sealed class ItemResolver(ItemRegistry registry, IReadOnlyDictionary<string, FolderLibrary> libraries, TesseraOptions options)
{
    /// <summary>Whether /i/ items may live in a library: a folder library, or one with providers configured.</summary>
    public bool IsItemLibrary(string library) => libraries.ContainsKey(library) || options.Providers.ContainsKey(library);

    /// <summary>The /i/ item an app's id names for a role.</summary>
    public async Task<RegisteredItem> ResolveAsync(string library, string normalizedId, string role, CancellationToken cancellationToken)
    {
        var (item, registration) = await registry.ResolveAsync(library, normalizedId, role, cancellationToken).ConfigureAwait(false);
        return Build(library, item, role, registration);
    }

    /// <summary>The /i/ items many ids name for a role, read in a few batched queries.</summary>
    public async Task<IReadOnlyList<RegisteredItem>> ResolveManyAsync(string library, IReadOnlyList<string> normalizedIds, string role,
        CancellationToken cancellationToken)
    {
        var resolved = await registry.ResolveManyAsync(library, normalizedIds, role, cancellationToken).ConfigureAwait(false);
        return [.. resolved.Select(r => Build(library, r.Item, role, r.Registration))];
    }

    private RegisteredItem Build(string library, Index.ItemRef item, string role, Index.ItemRegistration? registration)
    {
        libraries.TryGetValue(library, out var folder);
        var found = registration?.Path is { } p && folder?.Resolve(p) is { Outcome: PathOutcome.Found } f ? f : null;
        var urls = new List<Uri>();
        foreach (var source in registration?.Sources ?? [])
        {
            if (Uri.TryCreate(source, UriKind.Absolute, out var uri))
            {
                urls.Add(uri);
            }
        }

        foreach (var template in options.Providers.GetValueOrDefault(library) ?? [])
        {
            if (ProviderTemplates.Expand(template, item.Id, role) is { } uri && !urls.Contains(uri))
            {
                urls.Add(uri);
            }
        }

        return new RegisteredItem(library, item, role, registration, found?.FullPath, folder, urls) { Stamp = found?.Stamp };
    }

    /// <summary>Whether a provider URL may be registered or signed: http(s), no user info, an allowed host.
    /// Addresses are checked again when connecting.</summary>
    public bool IsAcceptableSource(string url, out string? reason) => RemoteFetcher.TryCheckUrl(url, options.Remote, out _, out reason);
}
