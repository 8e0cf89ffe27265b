using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tessera.Server.Background;

/// <summary>A background loop that nothing but a fatal error stops: each run's failure (a full disk, IO, any
/// IndexException) is logged at a bounded rate, retried with capped exponential backoff, and shown in readiness
/// until a run succeeds. A final run happens at shutdown. A fatal error (out of memory) stops the host.</summary>
public abstract partial class BackgroundLoop : BackgroundService
{
    /// <summary>After the first failure, at most one log line per this period (with the count since).</summary>
    public static readonly TimeSpan LogEvery = TimeSpan.FromMinutes(5);

    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly BackgroundLoops _loops;
    private DateTimeOffset _lastLogged;
    private int _failuresAtLastLog;

    protected BackgroundLoop(string name, TimeSpan interval, BackgroundLoops loops, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(loops);
        Interval = interval;
        State = loops.Register(name, interval);
        _clock = loops.Clock;
        _loops = loops;
        _logger = logger;
    }

    public TimeSpan Interval { get; }

    public LoopState State { get; }

    /// <summary>The longest wait between retries of a failing loop: eight intervals, at most five minutes (but never
    /// less than one interval).</summary>
    public TimeSpan MaxBackoff => TimeSpan.FromTicks(Math.Max(Interval.Ticks, Math.Min(Interval.Ticks * 8, TimeSpan.FromMinutes(5).Ticks)));

    /// <summary>One round of the loop's work.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>The last round at shutdown (by default the same work), run with no cancellation.</summary>
    protected virtual Task RunFinalAsync() => RunOnceAsync(CancellationToken.None);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = Interval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(delay, _clock, stoppingToken).ConfigureAwait(false);
                if (_loops.IndexReadOnly)
                {
                    delay = Interval;
                    continue;
                }

                delay = await RunGuardedAsync(() => RunOnceAsync(stoppingToken)).ConfigureAwait(false) ? Interval : NextBackoff(delay);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the final round below still runs.
        }

        if (!_loops.IndexReadOnly)
        {
            await RunGuardedAsync(RunFinalAsync).ConfigureAwait(false);
        }
    }

    private TimeSpan NextBackoff(TimeSpan delay) => delay * 2 < MaxBackoff ? delay * 2 : MaxBackoff;

    /// <summary>Runs one round; false when it failed (recorded and logged). Fatal errors propagate.</summary>
    private async Task<bool> RunGuardedAsync(Func<Task> run)
    {
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (Exception e) when (!IsFatal(e) && e is not OperationCanceledException)
        {
            Record(e);
            return false;
        }

        var ended = State.Succeeded();
        if (ended > 0)
        {
            Recovered(_logger, State.Name, ended);
            _failuresAtLastLog = 0;
        }

        return true;
    }

    private void Record(Exception e)
    {
        var now = _clock.GetUtcNow();
        var failures = State.Failed(now, e.Message);
        if (failures == 1)
        {
            FirstFailure(_logger, State.Name, e.GetType().Name, e.Message);
            _lastLogged = now;
            _failuresAtLastLog = 1;
        }
        else if (now - _lastLogged >= LogEvery)
        {
            StillFailing(_logger, State.Name, failures - _failuresAtLastLog, failures, e.Message);
            _lastLogged = now;
            _failuresAtLastLog = failures;
        }
    }

    /// <summary>Errors no retry can fix: the process is in no state to go on.</summary>
    public static bool IsFatal(Exception e) => e is OutOfMemoryException or InsufficientExecutionStackException or AccessViolationException;

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Background {Loop} failed ({Type}: {Error}); retrying with backoff, further failures are logged at most every 5 minutes")]
    private static partial void FirstFailure(ILogger logger, string loop, string type, string error);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Background {Loop} still failing: {Since} more failures, {Total} in a row; last: {Error}")]
    private static partial void StillFailing(ILogger logger, string loop, int since, int total, string error);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Background {Loop} recovered after {Failures} failures")]
    private static partial void Recovered(ILogger logger, string loop, int failures);
}
