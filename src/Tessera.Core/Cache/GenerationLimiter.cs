namespace Tessera.Core.Cache;

/// <summary>A global limit on concurrent encodes with a bounded wait queue; past it callers are turned away
/// at once (HTTP 429) instead of piling up.</summary>
public sealed class GenerationLimiter(int maxConcurrent, int maxQueued) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(maxConcurrent, maxConcurrent);
    private int _admitted;

    public int MaxConcurrent { get; } = maxConcurrent;

    /// <summary>Encodes running now.</summary>
    public int Running => MaxConcurrent - _slots.CurrentCount;

    /// <summary>Encodes waiting for a slot.</summary>
    public int Queued => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > MaxConcurrent + maxQueued)
        {
            Interlocked.Decrement(ref _admitted);
            throw new QueueFullException();
        }

        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _admitted);
            throw;
        }

        return new Slot(this);
    }

    public void Dispose() => _slots.Dispose();

    private void Release()
    {
        _slots.Release();
        Interlocked.Decrement(ref _admitted);
    }

    private sealed class Slot(GenerationLimiter owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}

/// <summary>Too many encodes are running or waiting; try again shortly.</summary>
public sealed class QueueFullException : Exception
{
    public QueueFullException() : base("the generation queue is full") { }

    public QueueFullException(string message) : base(message) { }

    public QueueFullException(string message, Exception innerException) : base(message, innerException) { }
}
