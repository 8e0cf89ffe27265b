using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tessera.Core.Cache;
using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>Invalidations between replicas through PostgreSQL <c>LISTEN/NOTIFY</c>: a publish applies the event here at
/// once, then sends it with <c>pg_notify</c> (delivered to every listener when it commits, in order, in milliseconds);
/// each replica listens on one dedicated connection, from its first subscriber until it is disposed. When that
/// connection drops, events may be missed, so every in-memory cache is dropped at once, the connection is opened again
/// with backoff (1 s doubling to 30 s), and dropped again once it listens (as at the first LISTEN: what came before it is unheard). The channel is named after the database and
/// schema as the server sees them (not as a connection string spells the host), so fleets on other schemas of the
/// same server do not hear each other.</summary>
public sealed class PostgresInvalidationBus : IInvalidationBus, IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _source;
    private readonly ILogger _logger;
    private readonly InvalidationHandlers _handlers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _received = new();
    private readonly Lock _gate = new();
    private Task? _listening;
    private long _connections;
    private string? _channel;

    public PostgresInvalidationBus(string connectionString, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(logger);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Sender = Guid.NewGuid().ToString("N")[..12];
        ListenerName = $"tessera-replica {Sender}";
        // KeepAlive: a listener idle on a silently dead network is noticed within seconds, not at the next TCP timeout.
        builder.KeepAlive = 10;
        builder.ApplicationName = ListenerName;
        _source = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        _logger = logger;
    }


    /// <summary>This replica's id in every payload, so its own events (applied at publish) are not applied twice.</summary>
    public string Sender { get; }

    /// <summary>The application_name of this bus's connections (pg_stat_activity).</summary>
    public string ListenerName { get; }

    /// <summary>How many times the listener has connected and issued LISTEN.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>The NOTIFY channel: tessera_ and 16 hex digits of the database and schema the connection is in.</summary>
    private async Task<string> ChannelAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_channel is { } known)
        {
            return known;
        }

        await using var cmd = new NpgsqlCommand("SELECT current_database() || '/' || coalesce(current_schema(), '')", connection);
        var where = (string)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return _channel = "tessera_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(where)))[..16];
    }

    public async Task PublishAsync(InvalidationEvent invalidation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invalidation);
        await _handlers.RunAsync(invalidation).ConfigureAwait(false);
        var payloads = InvalidationPayload.Write(Sender, invalidation);
        try
        {
            await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            var channel = await ChannelAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var batch = connection.CreateBatch();
            foreach (var payload in payloads)
            {
                var command = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
                command.Parameters.Add(new NpgsqlParameter { Value = channel });
                command.Parameters.Add(new NpgsqlParameter { Value = payload });
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The change itself is committed; only other replicas' memory may stay stale until they restart or reconnect.
            PostgresLog.NotifyFailed(_logger, invalidation.Kind.ToString(), e.Message);
        }
    }

    public void Subscribe(Func<InvalidationEvent, Task> handler)
    {
        _handlers.Add(handler);
        lock (_gate)
        {
            _listening ??= Task.Run(() => ListenAsync(_stop.Token));
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        var channel = "(not yet known)";
        while (!stopping.IsCancellationRequested)
        {
            var listening = false;
            try
            {
                await using var connection = await _source.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += (_, e) => _received.Enqueue(e.Payload);
                channel = await ChannelAsync(connection, stopping).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                listening = true;
                // What was published while no connection listened (before the first, or while reconnecting) is lost:
                // forget everything it might have said. At start that is little: what the first requests filled in.
                await DropEverythingAsync().ConfigureAwait(false);
                Interlocked.Increment(ref _connections);
                backoff = FirstBackoff;
                PostgresLog.Listening(_logger, channel);
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                    await ApplyReceivedAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                await ApplyReceivedAsync().ConfigureAwait(false);
                if (listening)
                {
                    await DropEverythingAsync().ConfigureAwait(false);
                }

                PostgresLog.ListenerLost(_logger, channel, backoff.TotalSeconds, e.Message);
            }

            try
            {
                await Task.Delay(backoff, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = backoff * 2 > LastBackoff ? LastBackoff : backoff * 2;
        }
    }

    private async Task ApplyReceivedAsync()
    {
        while (_received.TryDequeue(out var payload))
        {
            if (InvalidationPayload.Read(payload) is not var (sender, invalidation))
            {
                PostgresLog.BadPayload(_logger, payload.Length);
                await DropEverythingAsync().ConfigureAwait(false);
            }
            else if (sender != Sender)
            {
                await RunHandlersAsync(invalidation).ConfigureAwait(false);
            }
        }
    }

    private Task DropEverythingAsync() => RunHandlersAsync(InvalidationEvent.Everything);

    private async Task RunHandlersAsync(InvalidationEvent invalidation)
    {
        try
        {
            await _handlers.RunAsync(invalidation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IndexException or IOException or UnauthorizedAccessException)
        {
            PostgresLog.ApplyFailed(_logger, invalidation.Kind.ToString(), e.Message);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _listening?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Stopping: whatever the listener failed with no longer matters.
        }

        _stop.Dispose();
        _source.Dispose();
    }
}
