using System.Runtime.CompilerServices;
using Tessera.Core.Items;
using Tessera.Core.Presets;
using Tessera.Core.Warm;

namespace Tessera.Core.Jobs;

/// <summary>A warm of app items at some roles (default "cover"), each resolved as /i/ resolves it: the ids given, or every
/// registered item of the library paged in key order. Items are ids; the cursor is the id (given) or the key (registered).</summary>
internal sealed class WarmItemsRun(string library, IReadOnlyList<string>? ids, IReadOnlyList<string> roles, IReadOnlyList<Preset> presets,
    ItemResolver resolver, ItemRegistry registry, TaskRunner runner) : IJobRun
{
    public const string DefaultRole = "cover";
    private const int Page = 500;

    public int TasksPerItem { get; } = roles.Count * presets.Sum(p => Warmer.FormatsOf(p).Count);

    public async IAsyncEnumerable<DiscoveredItem> DiscoverAsync(string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (ids is not null)
        {
            foreach (var id in ids.Where(i => cursor is null || string.CompareOrdinal(i, cursor) > 0))
            {
                yield return new DiscoveredItem(id, id);
            }

            yield break;
        }

        var after = cursor;
        while (await registry.ListAsync(library, after, Page, cancellationToken).ConfigureAwait(false) is { Count: > 0 } page)
        {
            foreach (var item in page)
            {
                yield return new DiscoveredItem(item.Id, item.Key);
            }

            after = page[^1].Key;
        }
    }

    public async IAsyncEnumerable<TaskOutcome> ProcessAsync(string item, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var role in roles)
        {
            var resolved = await resolver.ResolveAsync(library, item, role, cancellationToken).ConfigureAwait(false);
            await foreach (var outcome in runner.RenderAsync(resolved, presets, cancellationToken).ConfigureAwait(false))
            {
                yield return outcome;
            }
        }
    }

    public Task CleanupAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
