using Tessera.Core.Index;

namespace Tessera.Core.Cache;

/// <summary>The embedded default: the index is this process's own, so an event goes straight to this process's handlers.</summary>
public sealed class LocalInvalidationBus : IInvalidationBus
{
    private readonly InvalidationHandlers _handlers = new();

    public Task PublishAsync(InvalidationEvent invalidation, CancellationToken cancellationToken) => _handlers.RunAsync(invalidation);

    public void Subscribe(Func<InvalidationEvent, Task> handler) => _handlers.Add(handler);
}

/// <summary>The handlers of a bus, run in order; shared by every implementation.</summary>
public sealed class InvalidationHandlers
{
    private volatile Func<InvalidationEvent, Task>[] _handlers = [];
    private readonly Lock _gate = new();

    public void Add(Func<InvalidationEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers = [.. _handlers, handler];
        }
    }

    public async Task RunAsync(InvalidationEvent invalidation)
    {
        ArgumentNullException.ThrowIfNull(invalidation);
        foreach (var handler in _handlers)
        {
            await handler(invalidation).ConfigureAwait(false);
        }
    }
}
