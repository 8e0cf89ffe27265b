using System.Runtime.CompilerServices;
using Tessera.Core.Presets;
using Tessera.Core.Remote;
using Tessera.Core.Sources.Chain;

namespace Tessera.Core.Jobs;

/// <summary><c>preload</c>: remote URLs at one preset (VinylVault's preload). Each URL is checked as a registered
/// source is (http(s), no user info, an allowed host); addresses are checked again when connecting, exactly as for
/// /r/ requests, and a refused one fails as "blocked".</summary>
public sealed class PreloadKind(PresetCatalog catalog, TesseraOptions options, TaskRunner runner) : IJobKind
{
    public const string KindName = "preload";

    /// <summary>URLs one job may name.</summary>
    public const int MaxUrls = 10_000;

    public string Name => KindName;

    public JobDefinition Define(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Urls is not { Count: > 0 } urls || urls.Count > MaxUrls)
        {
            throw new JobRequestException($"a preload job needs 1 to {MaxUrls} urls");
        }

        if (request.Library is not null || request.Paths is { Count: > 0 } || request.Ids is { Count: > 0 } || request.Presets is { Count: > 0 })
        {
            throw new JobRequestException("a preload job takes urls and one preset only");
        }

        if (request.Preset is not { } name || !catalog.TryGet(name, out _))
        {
            throw new JobRequestException($"unknown preset '{request.Preset}'; allowed: {string.Join(", ", catalog.All.Select(x => x.Name))}");
        }

        foreach (var url in urls)
        {
            if (!RemoteFetcher.TryCheckUrl(url, options.Remote, out _, out var why))
            {
                throw new JobRequestException($"url '{url}' is not accepted: {why}");
            }
        }

        var sorted = urls.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var spec = new JobSpec(Urls: sorted, Preset: name);
        return new JobDefinition($"urls={JobSpec.Hash(sorted)};preset={name}", spec.ToJson());
    }

    public IJobRun Open(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var spec = JobSpec.Parse(job.Spec);
        var preset = catalog.TryGet(spec.Preset ?? string.Empty, out var p) ? p : throw new JobRequestException($"unknown preset '{spec.Preset}'");
        return new Run(spec.Urls ?? [], preset, options.Remote, runner);
    }

    private sealed class Run(IReadOnlyList<string> urls, Preset preset, RemoteOptions remote, TaskRunner runner) : IJobRun
    {
        public int TasksPerItem { get; } = Warm.Warmer.FormatsOf(preset).Count;

        public async IAsyncEnumerable<DiscoveredItem> DiscoverAsync(string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var url in urls.Where(u => cursor is null || string.CompareOrdinal(u, cursor) > 0))
            {
                yield return new DiscoveredItem(url, url);
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public async IAsyncEnumerable<TaskOutcome> ProcessAsync(string item, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            // Checked again here: the allow-lists may have changed since the job was created.
            if (!RemoteFetcher.TryCheckUrl(item, remote, out var uri, out var why))
            {
                yield return TaskOutcome.Failed(preset.Name, Pipeline.FailureReasons.ToText(Pipeline.FailureReason.Blocked), why ?? "not accepted");
                yield break;
            }

            await foreach (var outcome in runner.RenderAsync(new RemoteItem(uri!), [preset], cancellationToken).ConfigureAwait(false))
            {
                yield return outcome;
            }
        }

        public Task CleanupAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
