using Microsoft.Extensions.Logging;
using Tessera.Core.Index;
using Tessera.Core.Jobs;

namespace Tessera.Core.Catalog;

/// <summary>The timed catalog syncs: a smart sync of each catalog at start, then every
/// <see cref="CatalogOptions.PollInterval"/>. Times come from the clock (a test drives them with a fake one by calling
/// <see cref="TickAsync"/>); a sync still active for the same catalog and mode is returned, never queued twice.</summary>
public sealed class CatalogTriggers(IReadOnlyDictionary<string, CatalogOptions> catalogs, IJobService jobs, TimeProvider clock, ILogger<CatalogTriggers> logger)
{
    private readonly Dictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);

    /// <summary>Queues the syncs due now; returns the jobs it created or found.</summary>
    public async Task<IReadOnlyList<JobView>> TickAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var queued = new List<JobView>();
        foreach (var name in catalogs.Keys.Order(StringComparer.Ordinal))
        {
            var every = catalogs[name].PollInterval;
            JobTrigger trigger;
            if (!_next.TryGetValue(name, out var due))
            {
                trigger = JobTrigger.Startup;
                _next[name] = now + every;
            }
            else if (now >= due)
            {
                trigger = JobTrigger.Schedule;
                _next[name] = due + every > now ? due + every : now + every; // a clock that jumped skips missed polls
            }
            else
            {
                continue;
            }

            try
            {
                var request = new JobRequest(CatalogSyncKind.KindName, Library: name, Trigger: trigger, Mode: CatalogSyncModes.ToText(CatalogSyncMode.Smart));
                queued.Add((await jobs.CreateAsync(request, cancellationToken).ConfigureAwait(false)).Job);
            }
            catch (Exception e) when (e is IndexException or JobRequestException)
            {
                CatalogLog.TriggerFailed(logger, name, e.Message);
            }
        }

        return queued;
    }
}
