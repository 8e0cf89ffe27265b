using System.Collections.Concurrent;

namespace Tessera.Core.Jobs;

/// <summary>Rate (tasks/s) and ETA of jobs from recent samples of their done count, kept in memory per job: the
/// rate over the last minute or so, so a resumed job is not judged by the time it sat stopped.</summary>
public sealed class JobRates(TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<long, Queue<(DateTimeOffset At, long Done)>> _samples = new();

    public JobView View(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!JobNames.IsActive(job.Status))
        {
            _samples.TryRemove(job.Id, out _);
            return new JobView(job, 0, job.Status == JobStatus.Completed ? TimeSpan.Zero : null);
        }

        var now = clock.GetUtcNow();
        var done = job.Counts.Done;
        var queue = _samples.GetOrAdd(job.Id, _ => new());
        double rate;
        lock (queue)
        {
            if (queue.Count == 0 || queue.Last().Done != done || now - queue.Last().At >= TimeSpan.FromSeconds(1))
            {
                queue.Enqueue((now, done));
            }

            while (queue.Count > 2 && now - queue.Peek().At > Window)
            {
                queue.Dequeue();
            }

            var (firstAt, firstDone) = queue.Peek();
            var seconds = (now - firstAt).TotalSeconds;
            rate = job.Status == JobStatus.Running && seconds > 0 ? Math.Max(0, done - firstDone) / seconds : 0;
        }

        var remaining = job.Counts.Total - done;
        TimeSpan? eta = rate > 0 && job.Phase != JobPhase.Discovery ? TimeSpan.FromSeconds(Math.Max(0, remaining) / rate) : null;
        return new JobView(job, rate, eta);
    }
}
