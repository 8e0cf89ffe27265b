using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Tessera.Core.Index;
using Tessera.Index.Sqlite.Migrations;

namespace Tessera.Index.Sqlite;

/// <summary>One SQLite index file (WAL). One pooled connection per operation; writes are serialised in-process and use
/// BEGIN IMMEDIATE, so readers never wait and writers never meet "database is locked". Every SqliteException is
/// turned into an <see cref="IndexException"/> here and nowhere else.</summary>
public sealed class SqliteDatabase : IDisposable, IIndexAvailability
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly SemaphoreSlim _recovery = new(1, 1);
    private readonly ILogger _logger;
    private volatile ReadOnlyConnections? _readOnly;
    private string? _marker;
    private DegradedMode? _degraded;

    private SqliteDatabase(string path, ILogger logger, bool readOnly = false)
    {
        Path = path;
        _logger = logger;
        _readOnly = readOnly ? new ReadOnlyConnections(path) : null;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>True when opened by <see cref="OpenReadOnly"/>: every write fails, damage is reported, never set aside.</summary>
    public bool IsReadOnly => _readOnly is not null;

    /// <summary>True when the file did not exist, or was damaged and set aside, when this opened it.</summary>
    public bool CreatedNew { get; private set; }

    /// <summary>Opens (creating and migrating) the index at <paramref name="path"/>. A damaged file is moved aside as
    /// <c>tessera.db.corrupt-&lt;time&gt;</c> and a fresh one made: the index only describes the files, and the app's own
    /// data comes back from the journal (<see cref="Recreated"/>). After a crash the whole file is checked first.
    /// <paramref name="degradeWhenFull"/> (the server): an existing index that cannot be opened read-write for lack of
    /// disk space is opened read-only instead (<see cref="ReadOnlyReason"/>) until <see cref="TryReopenAsync"/> succeeds.</summary>
    public static SqliteDatabase Open(string path, ILogger logger, bool degradeWhenFull = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(logger);
        if (!SqliteLibrary.UsesSystemLibrary)
        {
            SqliteLog.BundledSqlite(logger);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        // A restored index is opened as a new one: the journal restored with it is replayed (it may hold changes made
        // while the backup ran) and the rendition rows are rebuilt from the files, which may be newer than the backup.
        var database = new SqliteDatabase(path, logger) { CreatedNew = !File.Exists(path) | SqliteRestore.TakeRestoredMark(path) };
        var crashed = SqliteDamage.MarkOpen(path, out database._marker);
        try
        {
            try
            {
                database.Migrate();
                if (crashed && !database.CreatedNew && database.Check() is var found && found != "ok")
                {
                    throw new SqliteException(found, 11);
                }
            }
            catch (SqliteException e) when (SqliteDamage.IsDamage(e))
            {
                database.Damage = e.Message;
                SqliteDamage.MoveAside(path, e.Message, logger);
                database.CreatedNew = true;
                database.Migrate();
            }
        }
        catch (SqliteException e)
        {
            database.Dispose();
            if (degradeWhenFull && !database.CreatedNew && DegradedMode.NoSpace(path, e) is { } reason)
            {
                return OpenDegraded(path, logger, reason, crashed);
            }

            throw Translate(e);
        }

        return database;
    }

    private static SqliteDatabase OpenDegraded(string path, ILogger logger, string reason, bool crashed)
    {
        DegradedMode.RemoveEmptyWal(path);
        var database = OpenReadOnly(path, logger);
        database._degraded = new DegradedMode(reason, crashed);
        SqliteDamage.MarkOpen(path, out database._marker);
        SqliteLog.Degraded(logger, path, reason);
        return database;
    }

    /// <summary>Why the index is read-only now (the disk was full when it was opened), or null.</summary>
    public string? ReadOnlyReason => _degraded?.Reason;

    /// <summary>Leaves degraded mode when the index opens read-write again: new connections wait while the switch runs,
    /// connections in flight are let finish first (a reader of the immutable file must not see a checkpoint), then the
    /// migrations and the crash check that the degraded open skipped run, as at a normal open.</summary>
    public async Task<bool> TryReopenAsync(CancellationToken cancellationToken)
    {
        if (_degraded is not { } degraded)
        {
            return true;
        }

        await _recovery.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
            string? damage = null;
            try
            {
                if (_degraded is null)
                {
                    return true;
                }

                if (!await degraded.SwitchAsync(Path, () => damage = MigrateReadWrite(degraded.Crashed)).ConfigureAwait(false))
                {
                    return false;
                }

                _readOnly = null;
                _degraded = null;
                SqliteConnection.ClearAllPools();
            }
            finally
            {
                degraded.EndSwitch();
                _writer.Release();
            }

            SqliteLog.Reopened(_logger, Path);
            if (damage is not null)
            {
                await RecreateAsync(damage, Generation).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            _recovery.Release();
        }
    }

    /// <summary>Migrates on a read-write connection; the crash check's finding when it is not "ok". Throws SqliteException while there is still no space.</summary>
    private string? MigrateReadWrite(bool crashed)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        connection.Execute("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA recursive_triggers = ON;");
        Migrator.Run(connection);
        return crashed && SqliteDamage.QuickCheck(connection) is var found && found != "ok" ? found : null;
    }

    /// <summary>Opens an existing index only to read it, writing nothing to its folder (read-only commands, which may run
    /// beside a server or on a read-only mount): no marker, no migration, no crash check, damage reported rather than set
    /// aside. An index that needs a migration is refused with one line saying what to run.</summary>
    public static SqliteDatabase OpenReadOnly(string path, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(logger);
        var database = new SqliteDatabase(path, logger, readOnly: true);
        try
        {
            using var connection = database.OpenConnection();
            var version = connection.Scalar("PRAGMA user_version");
            if (version < Migrator.Latest)
            {
                throw new IndexException(IndexFailure.Unavailable,
                    $"the index {path} has schema version {version} and this Tessera needs {Migrator.Latest}: start `tessera serve` or run a " +
                    "writing command (e.g. `tessera cleanup --dry-run`) once to migrate it", null);
            }
        }
        catch (SqliteException e)
        {
            database.Dispose();
            throw SqliteDamage.IsDamage(e)
                ? new IndexException(IndexFailure.Corrupt, $"the index {path} is damaged ({e.Message}): run `tessera verify --repair` or start the server to set it aside and rebuild it", e)
                : Translate(e);
        }
        catch (IndexException)
        {
            database.Dispose();
            throw;
        }

        return database;
    }

    /// <summary>Run after the index was made new while running (damage found by an operation or by verify): the
    /// journal replay. At open the owner calls <see cref="RunRecreatedAsync"/> itself when <see cref="CreatedNew"/>.</summary>
    public event Func<Task>? Recreated;

    public async Task RunRecreatedAsync()
    {
        foreach (var handler in Recreated?.GetInvocationList().Cast<Func<Task>>() ?? [])
        {
            await handler().ConfigureAwait(false);
        }
    }

    /// <summary>SQLite's quick_check: "ok" or what it found.</summary>
    public string Check()
    {
        using var connection = OpenConnection();
        return SqliteDamage.QuickCheck(connection);
    }

    /// <summary>Sets the file aside and starts a new one (then replays, through <see cref="Recreated"/>), unless another
    /// caller already did since <paramref name="seenGeneration"/>. Every operation that meets damage comes here.</summary>
    public async Task RecreateAsync(string why, int seenGeneration)
    {
        if (IsReadOnly)
        {
            throw new IndexException(IndexFailure.Corrupt, $"the index {Path} is damaged ({why}): run `tessera verify --repair` or start the server to set it aside and rebuild it", null);
        }

        await _recovery.WaitAsync().ConfigureAwait(false);
        try
        {
            if (seenGeneration != Generation)
            {
                return;
            }

            await _writer.WaitAsync().ConfigureAwait(false);
            try
            {
                Damage = why;
                SqliteDamage.MoveAside(Path, why, _logger);
                CreatedNew = true;
                Migrate();
                Generation++;
            }
            finally
            {
                _writer.Release();
            }

            await RunRecreatedAsync().ConfigureAwait(false);
        }
        finally
        {
            _recovery.Release();
        }
    }

    /// <summary>The damage that made this process set the file aside, or null.</summary>
    public string? Damage { get; private set; }

    /// <summary>How many times the file was made new while open; an operation that met damage passes what it saw.</summary>
    public int Generation { get; private set; }

    /// <summary>Runs a read on its own connection.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        for (var attempt = 0; ; attempt++)
        {
            var generation = Generation;
            try
            {
                await using var connection = OpenConnection();
                return await read(connection).ConfigureAwait(false);
            }
            catch (SqliteException e) when (SqliteDamage.IsDamage(e) && attempt == 0)
            {
                await RecreateAsync(e.Message, generation).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
        }
    }

    /// <summary>Runs a write in one BEGIN IMMEDIATE transaction, committed unless <paramref name="commit"/> is false
    /// (a dry run that wants the exact answer). Commands made on the connection join the transaction.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken, bool commit = true)
    {
        ArgumentNullException.ThrowIfNull(write);
        for (var attempt = 0; ; attempt++)
        {
            var generation = Generation;
            SqliteException? damage;
            try
            {
                return await WriteOnceAsync(write, commit, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e) when (SqliteDamage.IsDamage(e) && attempt == 0)
            {
                damage = e;
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }

            // The transaction rolled back with the damaged file; it runs again, once, on the new one.
            await RecreateAsync(damage.Message, generation).ConfigureAwait(false);
        }
    }

    private async Task<T> WriteOnceAsync<T>(Func<SqliteConnection, Task<T>> write, bool commit, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfDegraded();
            await using var connection = OpenConnection();
            await using var tx = connection.BeginTransaction(deferred: false);
            var result = await write(connection).ConfigureAwait(false);
            if (commit)
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>One write statement in SQLite's own (autocommit) transaction: it takes the write lock only when it
    /// writes, and for no longer. Under a reader-heavy load this kept writes flowing where an explicit BEGIN IMMEDIATE per
    /// statement starved them (Index/ConcurrencyTests: 300 writes in 30 s instead of thousands).</summary>
    public async Task<T> WriteStatementAsync<T>(Func<SqliteConnection, Task<T>> statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        for (var attempt = 0; ; attempt++)
        {
            var generation = Generation;
            SqliteException? damage;
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ThrowIfDegraded();
                await using var connection = OpenConnection();
                return await statement(connection).ConfigureAwait(false);
            }
            catch (SqliteException e) when (SqliteDamage.IsDamage(e) && attempt == 0)
            {
                damage = e;
            }
            catch (SqliteException e)
            {
                throw Translate(e);
            }
            finally
            {
                _writer.Release();
            }

            await RecreateAsync(damage.Message, generation).ConfigureAwait(false);
        }
    }

    public Task WriteAsync(Func<SqliteConnection, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await write(connection).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Streams rows from a query on its own connection; errors while reading are translated too.</summary>
    public async IAsyncEnumerable<T> StreamAsync<T>(string sql, Func<SqliteDataReader, T> map,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);
        SqliteConnection? connection = null;
        SqliteCommand? cmd = null;
        SqliteDataReader? reader = null;
        try
        {
            try
            {
                connection = OpenConnection();
                cmd = connection.Command(sql);
                reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
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

    public void Dispose()
    {
        _writer.Dispose();
        _recovery.Dispose();
        SqliteConnection.ClearAllPools();
        if (_marker is not null)
        {
            SqliteDamage.TryDelete(_marker);
        }
    }

    /// <summary>The one place SQLite's error codes become Tessera's failure kinds.</summary>
    internal static IndexException Translate(SqliteException e) => new(e.SqliteErrorCode switch
    {
        5 or 6 => IndexFailure.Busy, // SQLITE_BUSY, SQLITE_LOCKED
        13 => IndexFailure.Full, // SQLITE_FULL
        11 or 26 => IndexFailure.Corrupt, // SQLITE_CORRUPT, SQLITE_NOTADB
        3 or 8 or 10 or 14 or 23 => IndexFailure.Unavailable, // PERM, READONLY, IOERR, CANTOPEN, AUTH
        _ => IndexFailure.Failed,
    }, $"The index failed: {e.Message}", e);

    private static async Task<bool> NextAsync(SqliteDataReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            throw Translate(e);
        }
    }

    private void Migrate()
    {
        using var connection = OpenConnection();
        Migrator.Run(connection);
    }

    private void ThrowIfDegraded()
    {
        if (_degraded is { } degraded)
        {
            throw new IndexException(IndexFailure.Full, $"The index is read-only: {degraded.Reason}", null);
        }
    }

    private SqliteConnection OpenConnection()
    {
        // Degraded: counted, so that the switch back to read-write can wait for the readers of the read-only file.
        var release = _degraded?.EnterRead();
        var connection = new SqliteConnection(_readOnly?.ConnectionString() ?? _connectionString);
        if (release is not null)
        {
            DegradedMode.ReleaseOnClose(connection, release);
        }

        try
        {
            connection.Open();
            // recursive_triggers: REPLACE's implicit deletes then fire the delete triggers that keep the totals.
            connection.Execute("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA recursive_triggers = ON;");
        }
        catch
        {
            release?.Invoke();
            connection.Dispose();
            throw;
        }

        return connection;
    }
}
