using System.Collections.Concurrent;

namespace Tessera.Core.Pipeline;

/// <summary>Long-lived threads that run native decodes, shared by the process (libvips is process-wide too).
/// Not the thread pool: a decode blocks its thread for up to the decode time, and a few at once starved the pool that
/// answers hits and health checks on a 2-core machine. Not a new thread per decode either: each thread that exits tears
/// down libvips' per-thread buffers, and a warm of 10,000 images on one-off threads crashed once inside liborc. These
/// threads live as long as the process; there are as many as the largest encode limit asked for (at most 64), and the
/// <see cref="Cache.GenerationLimiter"/> admits no more decodes than that, so a decode never waits here for a thread.</summary>
internal sealed class DecodeThreads : TaskScheduler
{
    private const int MostThreads = 64;
    private readonly BlockingCollection<Task> _queue = [];
    private readonly Lock _gate = new();
    private int _threads;

    public static DecodeThreads Shared { get; } = new();

    public override int MaximumConcurrencyLevel => Math.Max(1, Volatile.Read(ref _threads));

    /// <summary>Starts threads until there are <paramref name="count"/> (capped at 64); never stops any.</summary>
    public void EnsureThreads(int count)
    {
        count = Math.Clamp(count, 1, MostThreads);
        lock (_gate)
        {
            while (_threads < count)
            {
                new Thread(Run) { IsBackground = true, Name = $"tessera-decode-{_threads}" }.Start();
                _threads++;
            }
        }
    }

    protected override void QueueTask(Task task) => _queue.Add(task);

    // Never inline: a decode must not run on (and block) the thread that asked for it.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void Run()
    {
        foreach (var task in _queue.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
