using Tessera.Core.Catalog;
using Tessera.Core.Index;
using Tessera.Core.Jobs;

namespace Tessera.Cli.Commands.Catalog;

/// <summary>Runs a catalog's <c>catalog-sync</c> job on the job engine in this process until it finishes, reporting each
/// type's progress, then reads what each type did: its mode, entities listed, live rows and the sync's own sentence
/// (deleted, images changed, why a sweep was skipped), or why it failed.</summary>
internal static class CatalogSyncRun
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>One type after the sync: <paramref name="Failure"/> is set when it failed.</summary>
    public sealed record TypeResult(string Type, CatalogSyncMode? Mode, long Listed, long Live, string? Text, string? Failure);

    public static async Task<(JobRecord Job, IReadOnlyList<TypeResult> Types)> RunAsync(CommandHost host, string catalog, CatalogSyncMode mode,
        Action<IReadOnlyList<CatalogTypeProgress>> progress, CancellationToken ct)
    {
        var jobs = host.Get<JobService>();
        JobView view;
        try
        {
            (view, _) = await jobs.CreateAsync(new JobRequest(CatalogSyncKind.KindName, Library: catalog, Mode: CatalogSyncModes.ToText(mode)), ct);
        }
        catch (JobRequestException e)
        {
            throw new ArgumentException(e.Message, e);
        }

        var id = view.Record.Id;
        await jobs.ResumeAsync(id, ct); // asked for by hand: a sync paused earlier goes on
        var types = host.Get<CatalogProgress>();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var engine = host.Get<JobEngine>().RunAsync(stop.Token);
            try
            {
                while (true)
                {
                    view = await jobs.GetAsync(id, ct) ?? throw new InvalidOperationException($"catalog-sync job {id} was deleted");
                    progress(types.Of(catalog));
                    if (!JobNames.IsActive(view.Record.Status))
                    {
                        break;
                    }

                    if (view.Record.Status == JobStatus.Paused)
                    {
                        throw new InvalidOperationException($"catalog-sync job {id} was paused; run the sync again to go on");
                    }

                    await Task.Delay(Poll, ct);
                }
            }
            finally
            {
                await stop.CancelAsync(); // leases are given back: a sync interrupted here resumes at its next run
                await engine;
            }
        }

        var failures = await jobs.FailuresAsync(id, 0, CatalogTypes.All.Count, ct);
        var index = host.Get<ICatalogIndex>();
        var reported = types.Of(catalog).ToDictionary(p => p.Type, StringComparer.Ordinal);
        var results = new List<TypeResult>();
        foreach (var type in CatalogTypes.All)
        {
            var mark = await index.GetWatermarkAsync(catalog, type, ct);
            var live = await index.CountLiveAsync(catalog, type, ct);
            var p = reported.GetValueOrDefault(type);
            results.Add(new TypeResult(type, p?.Mode, p?.Stored ?? 0, live, mark?.LastResult,
                failures.FirstOrDefault(f => f.Item == type) is { } failure ? failure.Detail : null));
        }

        return (view.Record, results);
    }
}
