using Microsoft.Extensions.Logging;
using Npgsql;
using Tessera.Core.Index;
using Tessera.Index.Postgres.Migrations;

namespace Tessera.Index.Postgres;

/// <summary>One PostgreSQL index (a database, or a schema of one: the connection string's Search Path), shared by any
/// number of replicas. Connections come from one <see cref="NpgsqlDataSource"/> pool; every write runs in its own
/// READ COMMITTED transaction and claims use row locks (<c>FOR UPDATE SKIP LOCKED</c>), so nothing is serialised in
/// process. A transaction PostgreSQL aborts for a deadlock or a serialisation failure is run again, a few times.
/// Every Npgsql exception becomes an <see cref="IndexException"/> here and nowhere else.</summary>
public sealed class PostgresDatabase : IDisposable, IIndexAvailability
{
    private const int Attempts = 5;

    /// <summary>The most connections one process opens unless its connection string says otherwise (Maximum Pool
    /// Size). Npgsql's own default, 100, is PostgreSQL's whole default max_connections: two replicas in a burst of
    /// cold requests could take them all and every other statement failed with "too many clients". Past the limit a
    /// statement waits for a free connection (the connection string's Timeout, 15 s by default) instead.</summary>
    public const int DefaultMaxPoolSize = 20;
    private readonly NpgsqlDataSource _source;

    private PostgresDatabase(NpgsqlDataSource source, string description)
    {
        _source = source;
        Description = description;
    }

    /// <summary>Host, port, database and schema, without credentials: for messages and logs.</summary>
    public string Description { get; }

    /// <summary>True when the schema was empty when this opened it (its rendition rows should be rebuilt from the files).</summary>
    public bool CreatedNew { get; private set; }

    public string? ReadOnlyReason => null;

    /// <summary>Connects and migrates (<see cref="PostgresMigrator"/>): every replica may call it at start at once.</summary>
    public static PostgresDatabase Open(string connectionString, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(logger);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new IndexException(IndexFailure.Unavailable, $"The PostgreSQL connection string is not valid: {e.Message}", e);
        }

        if (!SetsMaxPoolSize(connectionString))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        var description = $"{builder.Host}:{builder.Port}/{builder.Database}{(builder.SearchPath is { Length: > 0 } s ? "/" + s : "")}";
        var database = new PostgresDatabase(new NpgsqlDataSourceBuilder(builder.ConnectionString).Build(), description);
        try
        {
            var from = database.RunAsync(c => PostgresMigrator.RunAsync(c, CancellationToken.None), CancellationToken.None).GetAwaiter().GetResult();
            database.CreatedNew = from == 0;
            PostgresLog.Opened(logger, description, from, PostgresMigrator.Latest);
        }
        catch (IndexException e)
        {
            database.Dispose();
            throw new IndexException(e.Kind, $"The PostgreSQL index {description} cannot be opened: {e.InnerException?.Message ?? e.Message}", e);
        }

        return database;
    }

    /// <summary>Whether the connection string names a pool size limit itself, under any of Npgsql's spellings.</summary>
    internal static bool SetsMaxPoolSize(string connectionString)
    {
        var keys = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys;
        return keys is not null && keys.Cast<string>().Any(k =>
            k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() is "MAXPOOLSIZE" or "MAXIMUMPOOLSIZE");
    }

    /// <summary>The most connections this index's pool opens.</summary>
    public int MaxPoolSize => new NpgsqlConnectionStringBuilder(_source.ConnectionString).MaxPoolSize;

    public async Task<bool> TryReopenAsync(CancellationToken cancellationToken)
    {
        await ReadAsync(c => c.ScalarAsync("SELECT 1", cancellationToken), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Runs a read on a pooled connection (autocommit: each statement sees what is committed).</summary>
    public Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return RunAsync(read, cancellationToken);
    }

    /// <summary>Runs reads in one REPEATABLE READ, read-only transaction, so the figures agree with each other.</summary>
    public Task<T> SnapshotAsync<T>(Func<NpgsqlConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return RunAsync(async c =>
        {
            await using var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            await c.ExecuteAsync("SET TRANSACTION READ ONLY", cancellationToken).ConfigureAwait(false);
            var result = await read(c).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);
    }

    /// <summary>Runs a write in one transaction, committed unless <paramref name="commit"/> is false (a dry run that wants
    /// the exact answer). Commands made on the connection join it. Run again on a deadlock or serialisation failure,
    /// so <paramref name="write"/> must start from scratch each time.</summary>
    public Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<T>> write, CancellationToken cancellationToken, bool commit = true)
    {
        ArgumentNullException.ThrowIfNull(write);
        return RetryAsync(() => RunAsync(async c =>
        {
            await using var tx = await c.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var result = await write(c).ConfigureAwait(false);
            if (commit)
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }

            return result;
        }, cancellationToken), cancellationToken);
    }

    public Task WriteAsync(Func<NpgsqlConnection, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(async c =>
        {
            await write(c).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>One statement in its own (autocommit) transaction.</summary>
    public Task<T> StatementAsync<T>(Func<NpgsqlConnection, Task<T>> statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return RetryAsync(() => RunAsync(statement, cancellationToken), cancellationToken);
    }

    /// <summary>Streams rows from a query on its own connection; errors while reading are translated too.</summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(string sql, Func<NpgsqlDataReader, T> map,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);
        NpgsqlConnection? connection = null;
        NpgsqlCommand? cmd = null;
        NpgsqlDataReader? reader = null;
        try
        {
            try
            {
                connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                cmd = connection.Command(sql);
                reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                throw Translate(e);
            }

            while (await NextAsync(reader, cancellationToken).ConfigureAwait(false))
            {
                yield return map(reader);
            }
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (cmd is not null)
            {
                await cmd.DisposeAsync().ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _source.Dispose();

    /// <summary>The one place PostgreSQL's SQLSTATEs become Tessera's failure kinds.</summary>
    internal static IndexException Translate(Exception e) => new(e switch
    {
        PostgresException p => p.SqlState switch
        {
            "53100" => IndexFailure.Full, // disk_full
            "40P01" or "40001" or "55P03" or "57014" => IndexFailure.Busy, // deadlock, serialization, lock_not_available, query_canceled (timeout)
            "XX001" or "XX002" => IndexFailure.Corrupt, // data_corrupted, index_corrupted
            _ when p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("28", StringComparison.Ordinal)
                || p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
                || p.SqlState is "3D000" or "42501" or "25006" => IndexFailure.Unavailable, // connection, auth, shutdown, resources, no database, no permission, read-only
            _ => IndexFailure.Failed,
        },
        TimeoutException => IndexFailure.Busy,
        _ => IndexFailure.Unavailable, // a connection that failed or broke
    }, $"The index failed: {e.Message}", e);

    private static async Task<T> RetryAsync<T>(Func<Task<T>> run, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await run().ConfigureAwait(false);
            }
            catch (IndexException e) when (attempt < Attempts && e.InnerException is PostgresException { SqlState: "40P01" or "40001" })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> run, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await run(connection).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Translate(e);
        }
    }

    private static async Task<bool> NextAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw Translate(e);
        }
    }
}
