using Tessera.Core.Pipeline;

namespace Tessera.Core.Cache;

/// <summary>Per source, one decode at a time, and a token cancelled when a decode of that source fails or times out:
/// requests for the same source still waiting (other presets, other formats) wake at once and answer from that
/// failure instead of running their own doomed decode. One at a time, because a decode that passes its time limit
/// may not stop at once (a PDF page renders in one native call): two presets racing would burn two cores on it.</summary>
internal sealed class SourceFailures
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Watch> _watches = new(StringComparer.Ordinal);

    /// <summary>Watches <paramref name="item"/> until the lease is disposed.</summary>
    public Watch Enter(string item)
    {
        lock (_gate)
        {
            if (!_watches.TryGetValue(item, out var watch))
            {
                _watches[item] = watch = new Watch(this, item);
            }

            watch.Holders++;
            return watch;
        }
    }

    /// <summary>Records the failure on the watch and wakes its waiters. Call after the negative entry is recorded.</summary>
    public void Fail(string item, FailureReason reason, string detail)
    {
        Watch? failed;
        lock (_gate)
        {
            if (_watches.Remove(item, out failed))
            {
                failed.Failure = (reason, detail);
            }
        }

        failed?.Cancel();
    }

    private void Leave(Watch watch)
    {
        lock (_gate)
        {
            if (--watch.Holders > 0)
            {
                return;
            }

            if (_watches.TryGetValue(watch.Item, out var current) && current == watch)
            {
                _watches.Remove(watch.Item);
            }
        }

        watch.Free();
    }

    /// <summary>One source's watch, shared by its concurrent decodes; each <see cref="Enter"/> is paired with a dispose.</summary>
    public sealed class Watch(SourceFailures owner, string item) : IDisposable
    {
        private readonly CancellationTokenSource _failed = new();
        private readonly Lock _turnGate = new();
        private FlightPriority? _holder;
        private int _liveWaiting;

        /// <summary>Held by the decode of this source running now.</summary>
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public string Item { get; } = item;

        public CancellationToken Token => _failed.Token;

        /// <summary>What the source failed with, once it has.</summary>
        public (FailureReason Reason, string Detail)? Failure { get; set; }

        internal int Holders { get; set; }

        public void Dispose() => owner.Leave(this);

        /// <summary>Waits for the turn. While a live caller waits (or its run is promoted while it waits), whoever
        /// holds the turn is promoted too, so a request for one preset never waits behind a job's queued decode of
        /// another preset of the same source (priority inheritance).</summary>
        public async Task TakeTurnAsync(FlightPriority priority, CancellationToken cancellationToken)
        {
            bool counted = false, done = false;
            void WaitingLive()
            {
                FlightPriority? holder;
                lock (_turnGate)
                {
                    if (counted || done)
                    {
                        return;
                    }

                    counted = true;
                    _liveWaiting++;
                    holder = _holder;
                }

                holder?.Promote();
            }

            priority.OnPromoted(WaitingLive);
            try
            {
                await Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                priority.Forget(WaitingLive);
                lock (_turnGate)
                {
                    done = true;
                    _liveWaiting -= counted ? 1 : 0;
                }
            }

            bool inherit;
            lock (_turnGate)
            {
                _holder = priority;
                inherit = _liveWaiting > 0;
            }

            if (inherit)
            {
                priority.Promote();
            }
        }

        public void LeaveTurn()
        {
            lock (_turnGate)
            {
                _holder = null;
            }

            Turn.Release();
        }

        internal void Cancel() => _failed.Cancel();

        internal void Free()
        {
            _failed.Dispose();
            Turn.Dispose();
        }
    }
}
