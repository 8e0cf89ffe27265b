using Microsoft.Extensions.Logging;
using Tessera.Core.Index;

namespace Tessera.Core.Cache;

/// <summary>One render per key across replicas: a miss takes the key's lease (<see cref="IRenditionLeases"/>) before it
/// renders. When another replica holds it, this one polls the lease with backoff — one round trip each, no connection
/// held open for notifications — and once it is free (released, or expired because its owner died) takes it and looks
/// for the owner's result first; only when there is none does it render. A render holds its lease by renewing it every
/// third of <see cref="RenditionLeaseOptions.LeaseTime"/>. On a single-process index every lease is granted with no
/// I/O, and this is a plain call.</summary>
public sealed partial class RenditionLeasing(IRenditionLeases leases, RenditionLeaseOptions options, TimeProvider time, ILogger<RenditionLeasing> logger)
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(1);

    /// <summary>This process's name on its leases: host, process id and a random part (a restarted process is another owner).</summary>
    public string Owner { get; } = LeaseOwner.New();

    /// <summary>Renders <paramref name="key"/> once across replicas: <paramref name="render"/> under its lease, or the
    /// result another replica published (<paramref name="published"/>, asked each time the lease is granted, since the
    /// key may have been finished between the caller's read and the grant). Never waits past
    /// <see cref="RenditionLeaseOptions.MaxWait"/>; an index that fails is logged and the key rendered here.</summary>
    public async Task<T> RunAsync<T>(string key, Func<Task<T?>> published, Func<Task<T>> render)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(published);
        ArgumentNullException.ThrowIfNull(render);
        if (leases is LocalRenditionLeases)
        {
            return await render().ConfigureAwait(false);
        }

        var started = time.GetTimestamp();
        var poll = FirstPoll;
        while (!await TryAcquireAsync(key).ConfigureAwait(false))
        {
            if (time.GetElapsedTime(started) >= options.MaxWait)
            {
                Log.WaitedTooLong(logger, key, options.MaxWait.TotalSeconds);
                return await render().ConfigureAwait(false);
            }

            await Task.Delay(poll, time).ConfigureAwait(false);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, Math.Min(LongestPoll.Ticks, options.LeaseTime.Ticks / 4)));
        }

        try
        {
            if (await published().ConfigureAwait(false) is { } done)
            {
                return done;
            }

            return await RenderHoldingAsync(key, render).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(key).ConfigureAwait(false);
        }
    }

    private async Task<bool> TryAcquireAsync(string key)
    {
        try
        {
            return await leases.TryAcquireAsync(key, Owner, options.LeaseTime, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IndexException e)
        {
            Log.LeaseUnavailable(logger, key, e.Message);
            return true; // the index is down: render here, as a single replica would
        }
    }

    private async Task<T> RenderHoldingAsync<T>(string key, Func<Task<T>> render)
    {
        using var timer = new PeriodicTimer(options.LeaseTime / 3, time);
        var heartbeat = RenewAsync(key, timer);
        try
        {
            return await render().ConfigureAwait(false);
        }
        finally
        {
            timer.Dispose(); // ends the heartbeat's wait without an exception (see RenewAsync)
            await heartbeat.ConfigureAwait(false);
        }
    }

    /// <summary>Renews every third of the lease time until <paramref name="timer"/> is disposed; a lost lease is logged
    /// (the render goes on: its result is content-addressed, so a second one writes the same bytes). The wait takes no
    /// token: a PeriodicTimer wait that is cancelled throws an exception whose stack trace NativeAOT renders at once,
    /// which would have been paid at the end of every render.</summary>
    private async Task RenewAsync(string key, PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            try
            {
                if (!await leases.RenewAsync(key, Owner, options.LeaseTime, CancellationToken.None).ConfigureAwait(false))
                {
                    Log.LeaseLost(logger, key);
                    return;
                }
            }
            catch (IndexException e)
            {
                Log.LeaseUnavailable(logger, key, e.Message);
            }
        }
    }

    private async Task ReleaseAsync(string key)
    {
        try
        {
            await leases.ReleaseAsync(key, Owner, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IndexException e)
        {
            Log.LeaseUnavailable(logger, key, e.Message); // it expires on its own
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1020, Level = LogLevel.Warning,
            Message = "Waited {Seconds:0} s for another replica's render of {Key}; rendering it here (Replicas:MaxWait)")]
        public static partial void WaitedTooLong(ILogger logger, string key, double seconds);

        [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "The rendition lease of {Key} was taken over while rendering it (Replicas:LeaseTime too short?)")]
        public static partial void LeaseLost(ILogger logger, string key);

        [LoggerMessage(EventId = 1022, Level = LogLevel.Warning, Message = "The rendition lease of {Key} could not be kept in the index: {Error}")]
        public static partial void LeaseUnavailable(ILogger logger, string key, string error);
    }
}
