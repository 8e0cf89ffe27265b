using System.Runtime.CompilerServices;
using Tessera.Core.Jobs;

namespace Tessera.Core.Catalog;

/// <summary><c>catalog-sync</c>: a catalog synced as a job, one item per entity type in <see cref="CatalogTypes.All"/>
/// order, so it shows progress, pauses, cancels and resumes after a restart (a type cut short is synced again:
/// upserts are idempotent, and its watermark moved only when it finished). Scope: the catalog and the mode.</summary>
public sealed class CatalogSyncKind(CatalogSources catalogs, CatalogSync sync) : IJobKind
{
    public const string KindName = "catalog-sync";

    public string Name => KindName;

    public JobDefinition Define(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Paths is { Count: > 0 } || request.Ids is { Count: > 0 } || request.Urls is { Count: > 0 }
            || request.Presets is { Count: > 0 } || request.Preset is not null || request.Roles is { Count: > 0 })
        {
            throw new JobRequestException("a catalog-sync job takes a catalog (library) and a mode (smart, incremental or full) only");
        }

        if (request.Library is not { } name || !catalogs.TryGet(name, out _))
        {
            throw new JobRequestException($"unknown catalog '{request.Library}'; known: {string.Join(", ", catalogs.All.Select(c => c.Name).Order(StringComparer.Ordinal))}");
        }

        var mode = CatalogSyncMode.Smart;
        if (request.Mode is not null && !CatalogSyncModes.TryParse(request.Mode, out mode))
        {
            throw new JobRequestException($"unknown mode '{request.Mode}'; known: smart, incremental, full");
        }

        var text = CatalogSyncModes.ToText(mode);
        return new JobDefinition($"catalog={name};mode={text}", new JobSpec(Library: name, Mode: text).ToJson());
    }

    public IJobRun Open(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var spec = JobSpec.Parse(job.Spec);
        if (spec.Library is null || !catalogs.TryGet(spec.Library, out _))
        {
            throw new JobRequestException($"catalog '{spec.Library}' is no longer configured");
        }

        return CatalogSyncModes.TryParse(spec.Mode, out var mode)
            ? new Run(sync, spec.Library, mode)
            : throw new JobRequestException($"unknown mode '{spec.Mode}'");
    }

    private sealed class Run(CatalogSync sync, string catalog, CatalogSyncMode mode) : IJobRun
    {
        public int TasksPerItem => 1;

        public async IAsyncEnumerable<DiscoveredItem> DiscoverAsync(string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask.ConfigureAwait(false);
            var types = CatalogTypes.All;
            var from = cursor is null ? 0 : types.ToList().IndexOf(cursor) + 1;
            for (var i = from; i < types.Count; i++)
            {
                yield return new DiscoveredItem(types[i], types[i]);
            }
        }

        public async IAsyncEnumerable<TaskOutcome> ProcessAsync(string item, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            TaskOutcome outcome;
            try
            {
                var result = await sync.SyncAsync(catalog, item, mode, cancellationToken).ConfigureAwait(false);
                outcome = new TaskOutcome(result.Skipped ? TaskResult.Skipped : TaskResult.Completed, item);
            }
            catch (UpstreamException e)
            {
                outcome = TaskOutcome.Failed(item, "upstream", e.Message);
            }

            yield return outcome;
        }

        public Task CleanupAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
