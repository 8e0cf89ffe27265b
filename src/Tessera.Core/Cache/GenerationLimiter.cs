namespace Tessera.Core.Cache;

/// <summary>Admission for native decodes: at most <c>maxConcurrent</c> at once, their estimated peak memory within
/// <c>memoryBudget</c> (one image larger than the whole budget runs alone), and a wait queue bounded by count and by
/// time; past either, callers are turned away (HTTP 429) instead of piling up. A slot is held until its holder
/// disposes it, which the pipeline does when the native work has really ended, so <see cref="Running"/> counts
/// native work, not awaiting tasks.
/// <para>Two priorities: live waiters (requests) are always granted before any background waiter (jobs, warm), and
/// background holders never exceed <c>backgroundShare</c> (default all slots but one), so a live miss finds a slot
/// free or next to free while jobs run. Background waiters are not bounded by count or time (they wait, cancellable)
/// and are not counted against the live queue; a background wait whose run is promoted joins the live queue.</para></summary>
public sealed class GenerationLimiter(int maxConcurrent, int maxQueued, long memoryBudget = long.MaxValue,
    TimeSpan? maxWait = null, TimeProvider? clock = null, int? backgroundShare = null) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _live = new();
    private readonly LinkedList<Waiter> _background = new();
    private readonly TimeSpan _maxWait = maxWait ?? Timeout.InfiniteTimeSpan;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private int _running;
    private int _runningBackground;
    private long _memory;

    public int MaxConcurrent { get; } = maxConcurrent;

    /// <summary>Most slots background work holds at once: <c>backgroundShare</c>, by default max(1, MaxConcurrent − 1).</summary>
    public int BackgroundShare { get; } = Math.Clamp(backgroundShare ?? DefaultShare(maxConcurrent), 1, Math.Max(1, maxConcurrent));

    public long MemoryBudget { get; } = memoryBudget;

    /// <summary>Slots held now: native decodes (and extractions) really running.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Slots held now by background work.</summary>
    public int RunningBackground => Volatile.Read(ref _runningBackground);

    /// <summary>Estimated peak bytes of the decodes running now.</summary>
    public long MemoryInUse => Interlocked.Read(ref _memory);

    /// <summary>Callers waiting for a slot, live and background.</summary>
    public int Queued => Count(() => _live.Count + _background.Count);

    /// <summary>Live callers waiting for a slot: the queue <c>maxQueued</c> bounds.</summary>
    public int QueuedLive => Count(() => _live.Count);

    /// <summary>Background callers waiting for a slot.</summary>
    public int QueuedBackground => Count(() => _background.Count);

    /// <summary>The background share when none is configured: every slot but one, and one when there is only one.</summary>
    public static int DefaultShare(int maxConcurrent) => Math.Max(1, maxConcurrent - 1);

    /// <summary>A live slot for work of unknown (small) memory, e.g. an extraction.</summary>
    public Task<IDisposable> AcquireAsync(CancellationToken cancellationToken) => AcquireAsync(0, FlightPriority.Live, cancellationToken);

    /// <summary>A live slot whose work may peak at <paramref name="memoryEstimate"/> bytes.</summary>
    public Task<IDisposable> AcquireAsync(long memoryEstimate, CancellationToken cancellationToken) =>
        AcquireAsync(memoryEstimate, FlightPriority.Live, cancellationToken);

    /// <summary>Waits for a slot whose work may peak at <paramref name="memoryEstimate"/> bytes, at the run's priority.
    /// A live wait throws <see cref="QueueFullException"/> when the live queue is full or the wait passes its limit; a
    /// background wait only ends granted or cancelled, and moves to the live queue when <paramref name="priority"/> is
    /// promoted.</summary>
    public async Task<IDisposable> AcquireAsync(long memoryEstimate, FlightPriority priority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(priority);
        memoryEstimate = Math.Max(0, memoryEstimate);
        Waiter waiter;
        lock (_gate)
        {
            // Every waiter that fits was granted at the last change, so whoever fits now may go.
            if (priority.Value == WorkPriority.Live)
            {
                if (Fits(memoryEstimate))
                {
                    return Grant(memoryEstimate, background: false);
                }

                if (_live.Count >= maxQueued)
                {
                    throw new QueueFullException();
                }

                waiter = new Waiter(memoryEstimate, background: false);
                waiter.Node = _live.AddLast(waiter);
            }
            else
            {
                if (FitsBackground(memoryEstimate))
                {
                    return Grant(memoryEstimate, background: true);
                }

                waiter = new Waiter(memoryEstimate, background: true);
                waiter.Node = _background.AddLast(waiter);
            }
        }

        Action? promote = null;
        if (waiter.Background)
        {
            promote = () => Promote(waiter);
            priority.OnPromoted(promote);
        }

        try
        {
            return waiter.Background
                ? await waiter.Granted.Task.WaitAsync(cancellationToken).ConfigureAwait(false)
                : await waiter.Granted.Task.WaitAsync(_maxWait, _clock, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Granted just as the wait ended: keep it.
            return Withdraw(waiter) ? throw new QueueFullException($"no decode slot within {_maxWait.TotalSeconds:0.#} s")
                : await waiter.Granted.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            if (!Withdraw(waiter))
            {
                (await waiter.Granted.Task.ConfigureAwait(false)).Dispose(); // granted just as it was cancelled: hand it back
            }

            throw;
        }
        finally
        {
            if (promote is not null)
            {
                priority.Forget(promote); // a priority shared by many waits keeps no callback past its wait
            }
        }
    }

    public void Dispose()
    {
        // Nothing native to free; waiters still queued are left to their own time limits.
    }

    private int Count(Func<int> count)
    {
        lock (_gate)
        {
            return count();
        }
    }

    /// <summary>A background wait whose run a live caller joined: it moves to the end of the live queue (it is live
    /// from now) and keeps no time limit, since the background caller that started it must not get a 429.</summary>
    private void Promote(Waiter waiter)
    {
        List<(Waiter, Slot)> woken;
        lock (_gate)
        {
            if (waiter.Node!.List != _background)
            {
                return; // granted or withdrawn meanwhile
            }

            _background.Remove(waiter.Node);
            waiter.Node = _live.AddLast(waiter);
            woken = Pump();
        }

        Wake(woken);
    }

    private bool Withdraw(Waiter waiter)
    {
        List<(Waiter, Slot)> woken;
        lock (_gate)
        {
            if (waiter.Node!.List is not { } queue)
            {
                return false;
            }

            queue.Remove(waiter.Node);
            woken = Pump(); // a live waiter that held background work back has gone
        }

        Wake(woken);
        return true;
    }

    // Under _gate. A decode larger than the whole budget still runs, alone.
    private bool Fits(long memory) =>
        _running < MaxConcurrent && (_running == 0 || _memory + memory <= MemoryBudget);

    // Under _gate. Background work goes only when no live waiter is queued, and within its share.
    private bool FitsBackground(long memory) => _live.Count == 0 && _runningBackground < BackgroundShare && Fits(memory);

    private Slot Grant(long memory, bool background)
    {
        _running++;
        _memory += memory;
        if (background)
        {
            _runningBackground++;
        }

        return new Slot(this, memory, background);
    }

    private void Release(long memory, bool background)
    {
        List<(Waiter, Slot)> woken;
        lock (_gate)
        {
            _running--;
            _memory -= memory;
            if (background)
            {
                _runningBackground--;
            }

            woken = Pump();
        }

        Wake(woken);
    }

    // Under _gate: grants every live waiter that fits, then, when none is left waiting, background waiters within
    // the share. Not strictly first-come within a queue: a small decode may pass a huge one that waits for memory.
    private List<(Waiter, Slot)> Pump()
    {
        List<(Waiter, Slot)> woken = [];
        GrantFrom(_live, woken, Fits);
        GrantFrom(_background, woken, FitsBackground);
        return woken;
    }

    private void GrantFrom(LinkedList<Waiter> queue, List<(Waiter, Slot)> woken, Func<long, bool> fits)
    {
        for (var node = queue.First; node is not null;)
        {
            var next = node.Next;
            if (fits(node.Value.Memory))
            {
                queue.Remove(node);
                woken.Add((node.Value, Grant(node.Value.Memory, queue == _background)));
            }

            node = next;
        }
    }

    private static void Wake(List<(Waiter, Slot)> woken)
    {
        foreach (var (waiter, slot) in woken)
        {
            waiter.Granted.SetResult(slot);
        }
    }

    private sealed class Waiter(long memory, bool background)
    {
        public long Memory { get; } = memory;

        /// <summary>How the wait started: background waits have no time limit, even once promoted.</summary>
        public bool Background { get; } = background;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource<IDisposable> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Slot(GenerationLimiter owner, long memory, bool background) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(memory, background);
            }
        }
    }
}

/// <summary>Too many encodes are running or waiting, or the wait for a slot passed its limit; try again shortly.</summary>
public sealed class QueueFullException : Exception
{
    public QueueFullException() : base("the generation queue is full") { }

    public QueueFullException(string message) : base(message) { }

    public QueueFullException(string message, Exception innerException) : base(message, innerException) { }
}
