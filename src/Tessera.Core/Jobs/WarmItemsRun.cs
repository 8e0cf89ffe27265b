using System.Runtime.CompilerServices;
using Tessera.Core.Items;
using Tessera.Core.Presets;
using Tessera.Core.Warm;

namespace Tessera.Core.Jobs;

/// <summary>A warm of app items (their "cover" role, as /i/ serves it): the ids given, or every registered item of
/// the library paged in key order. Items are ids; the cursor is the id (given) or the key (registered).</summary>
internal sealed class WarmItemsRun(string library, IReadOnlyList<string>? ids, IReadOnlyList<Preset> presets, ItemResolver resolver,
    ItemRegistry registry, TaskRunner runner) : IJobRun
{
    public const string Role = "cover";
    private const int Page = 500;

    public int TasksPerItem { get; } = presets.Sum(p => Warmer.FormatsOf(p).Count);

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
        var resolved = await resolver.ResolveAsync(library, item, Role, cancellationToken).ConfigureAwait(false);
        await foreach (var outcome in runner.RenderAsync(resolved, presets, cancellationToken).ConfigureAwait(false))
        {
            yield return outcome;
        }
    }

    public Task CleanupAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
