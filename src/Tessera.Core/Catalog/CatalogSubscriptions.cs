using Microsoft.Extensions.Logging;
using Tessera.Core.Catalog.Stash;
using Tessera.Core.Index;
using Tessera.Core.Jobs;

namespace Tessera.Core.Catalog;

/// <summary>Each Stash catalog's <c>scanCompleteSubscribe</c> (<see cref="CatalogOptions.Subscribe"/>): every event queues
/// a smart sync (an active one is returned instead, so events never pile up; an event during a running sync queues one
/// follow-up after it). A lost connection comes back after a
/// capped, jittered exponential backoff; an upstream that refuses the subscription is told once and asked again only
/// every <see cref="RefusedRetry"/>. Polling (<see cref="CatalogTriggers"/>) goes on either way.</summary>
public sealed class CatalogSubscriptions(IReadOnlyDictionary<string, CatalogOptions> catalogs, IJobService jobs, TimeProvider clock, ILogger<CatalogSubscriptions> logger)
{
    internal static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan RefusedRetry = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan FollowUpPoll = TimeSpan.FromSeconds(1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _followUps = new(StringComparer.Ordinal);

    /// <summary>Runs every catalog's subscription until <paramref name="stoppingToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalogs.Values.Where(c => c.Subscribe && c.Kind == "stash" && c.Url is not null).Select(c => RunOneAsync(c, stoppingToken)));

    /// <summary>The wait before reconnection attempt <paramref name="failures"/> (1, 2, …): doubling from
    /// <see cref="FirstRetry"/> up to <see cref="MaxRetry"/>, then between half and all of it, so many servers
    /// restarted together do not reconnect in step.</summary>
    public static TimeSpan Backoff(int failures, double random)
    {
        var full = Math.Min(FirstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20)), MaxRetry.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(full * (0.5 + (random / 2)));
    }

    private async Task RunOneAsync(CatalogOptions catalog, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var subscription = new StashSubscription(catalog.Url!, catalog.ApiKey);
        var failures = 0;
        var refusedTold = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wasConnected = false;
            SubscriptionEnd end;
            try
            {
                end = await subscription.RunAsync(
                    () =>
                    {
                        wasConnected = true;
                        failures = 0;
                        refusedTold = false;
                        CatalogLog.Subscribed(logger, catalog.Name);
                    },
                    token => QueueAsync(catalog.Name, token), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // whatever went wrong, polling goes on and the subscription is tried again later
            catch (Exception e) when (e is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                end = subscription.End(SubscriptionEnd.Dropped, e.Message);
            }

            TimeSpan wait;
            if (end == SubscriptionEnd.Refused)
            {
                if (!refusedTold)
                {
                    CatalogLog.SubscriptionRefused(logger, catalog.Name, subscription.Reason, RefusedRetry);
                    refusedTold = true;
                }

                wait = RefusedRetry;
            }
            else
            {
                failures++;
                wait = Backoff(failures, Random.Shared.NextDouble());
                if (wasConnected)
                {
                    CatalogLog.SubscriptionLost(logger, catalog.Name, subscription.Reason, wait);
                }
                else
                {
                    CatalogLog.SubscriptionFailed(logger, catalog.Name, subscription.Reason, wait);
                }
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task QueueAsync(string catalog, CancellationToken cancellationToken)
    {
        try
        {
            var request = new JobRequest(CatalogSyncKind.KindName, Library: catalog, Trigger: JobTrigger.Change, Mode: CatalogSyncModes.ToText(CatalogSyncMode.Smart));
            var (job, created) = await jobs.CreateAsync(request, cancellationToken).ConfigureAwait(false);
            CatalogLog.ScanCompleted(logger, catalog, job.Record.Id, created);
            if (!created && job.Record.Status is JobStatus.Running && _followUps.TryAdd(catalog, job.Record.Id))
            {
                _ = FollowUpAsync(catalog, job.Record.Id, cancellationToken);
            }
        }
        catch (Exception e) when (e is IndexException or JobRequestException)
        {
            CatalogLog.TriggerFailed(logger, catalog, e.Message);
        }
    }

    /// <summary>A scan that completed while a sync was already running may have committed rows that sync had listed
    /// past, so one more smart sync is queued when it ends (however many events arrived meanwhile: one follow-up).</summary>
    private async Task FollowUpAsync(string catalog, long running, CancellationToken cancellationToken)
    {
        try
        {
            while (await jobs.GetAsync(running, cancellationToken).ConfigureAwait(false) is { } job && JobNames.IsActive(job.Record.Status))
            {
                await Task.Delay(FollowUpPoll, clock, cancellationToken).ConfigureAwait(false);
            }

            _followUps.TryRemove(catalog, out _);
            await QueueAsync(catalog, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IndexException e)
        {
            _followUps.TryRemove(catalog, out _);
            CatalogLog.TriggerFailed(logger, catalog, e.Message);
        }
    }
}
