using System.Collections.Concurrent;

namespace Tessera.Core.Cache;

/// <summary>Keyed single-flight: concurrent callers for one key share one run of the work.</summary>
public sealed class SingleFlight<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _running = new(StringComparer.Ordinal);

    public int InFlight => _running.Count;

    /// <summary>Runs <paramref name="work"/> unless a run for <paramref name="key"/> is under way, then awaits it.
    /// The work is not cancelled when one waiter gives up: others may still need it.</summary>
    public Task<T> RunAsync(string key, Func<Task<T>> work)
    {
        var lazy = _running.GetOrAdd(key, _ => new Lazy<Task<T>>(() => RunAndForget(key, work), LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }

    private async Task<T> RunAndForget(string key, Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }
}
