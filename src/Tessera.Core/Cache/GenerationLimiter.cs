namespace Tessera.Core.Cache;

/// <summary>Admission for native decodes: at most <c>maxConcurrent</c> at once, their estimated peak memory within
/// <c>memoryBudget</c> (one image larger than the whole budget runs alone), and a wait queue bounded by count and by
/// time; past either, callers are turned away (HTTP 429) instead of piling up. A slot is held until its holder
/// disposes it, which the pipeline does when the native work has really ended, so <see cref="Running"/> counts
/// native work, not awaiting tasks.</summary>
public sealed class GenerationLimiter(int maxConcurrent, int maxQueued, long memoryBudget = long.MaxValue,
    TimeSpan? maxWait = null, TimeProvider? clock = null) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly TimeSpan _maxWait = maxWait ?? Timeout.InfiniteTimeSpan;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private int _running;
    private long _memory;

    public int MaxConcurrent { get; } = maxConcurrent;

    public long MemoryBudget { get; } = memoryBudget;

    /// <summary>Slots held now: native decodes (and extractions) really running.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Estimated peak bytes of the decodes running now.</summary>
    public long MemoryInUse => Interlocked.Read(ref _memory);

    /// <summary>Callers waiting for a slot.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>A slot for work of unknown (small) memory, e.g. an extraction.</summary>
    public Task<IDisposable> AcquireAsync(CancellationToken cancellationToken) => AcquireAsync(0, cancellationToken);

    /// <summary>Waits for a slot whose work may peak at <paramref name="memoryEstimate"/> bytes. Throws
    /// <see cref="QueueFullException"/> when the queue is full or the wait passes its limit.</summary>
    public async Task<IDisposable> AcquireAsync(long memoryEstimate, CancellationToken cancellationToken)
    {
        memoryEstimate = Math.Max(0, memoryEstimate);
        Waiter waiter;
        lock (_gate)
        {
            // Every waiter that fits was granted at the last release, so whoever fits now may go.
            if (Fits(memoryEstimate))
            {
                return Grant(memoryEstimate);
            }

            if (_queue.Count >= maxQueued)
            {
                throw new QueueFullException();
            }

            waiter = new Waiter(memoryEstimate);
            waiter.Node = _queue.AddLast(waiter);
        }

        try
        {
            return await waiter.Granted.Task.WaitAsync(_maxWait, _clock, cancellationToken).ConfigureAwait(false);
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
    }

    public void Dispose()
    {
        // Nothing native to free; waiters still queued are left to their own time limits.
    }

    private bool Withdraw(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Node!.List is null)
            {
                return false;
            }

            _queue.Remove(waiter.Node);
            return true;
        }
    }

    // Under _gate. A decode larger than the whole budget still runs, alone.
    private bool Fits(long memory) =>
        _running < MaxConcurrent && (_running == 0 || _memory + memory <= MemoryBudget);

    private Slot Grant(long memory)
    {
        _running++;
        _memory += memory;
        return new Slot(this, memory);
    }

    private void Release(long memory)
    {
        List<(Waiter, Slot)> woken = [];
        lock (_gate)
        {
            _running--;
            _memory -= memory;
            // Not strictly first-come: a small decode may pass a huge one that waits for memory.
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                if (Fits(node.Value.Memory))
                {
                    _queue.Remove(node);
                    woken.Add((node.Value, Grant(node.Value.Memory)));
                }

                node = next;
            }
        }

        foreach (var (waiter, slot) in woken)
        {
            waiter.Granted.SetResult(slot);
        }
    }

    private sealed class Waiter(long memory)
    {
        public long Memory { get; } = memory;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource<IDisposable> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Slot(GenerationLimiter owner, long memory) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(memory);
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
