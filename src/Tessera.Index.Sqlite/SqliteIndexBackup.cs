using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tessera.Core.Index;

namespace Tessera.Index.Sqlite;

/// <summary>Online backups through SQLite's backup API, and the app's data read in one snapshot. In WAL mode the
/// backup is a reader: it copies every page in one step under a read transaction, so writers (here and in other
/// processes) go on while it runs; they only keep the WAL from being checkpointed past its snapshot until it ends.</summary>
public sealed class SqliteIndexBackup(SqliteDatabase database) : IIndexBackup
{
    public bool OpenElsewhere => SqliteDamage.LiveOpeners(database.Path).Any(pid => pid != Environment.ProcessId);

    public Task BackupAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = Path.GetFullPath(path);
        var temp = target + ".tmp-" + Environment.ProcessId;
        return database.ReadAsync(async source =>
        {
            File.Delete(temp);
            await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp, Pooling = false }.ToString()))
            {
                copy.Open();
                source.BackupDatabase(copy);
                // A self-contained file: no WAL beside it to copy or lose.
                copy.Execute("PRAGMA journal_mode = DELETE");
            }

            await using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
            return true;
        }, cancellationToken);
    }

    public Task<long> ReadAppDataAsync(IAppDataSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return database.ReadAsync(async c =>
        {
            // One read transaction: registrations, aliases and negatives from the same snapshot, streamed row by row.
            await using var tx = c.BeginTransaction(deferred: true);
            long count = 0;
            await foreach (var change in RowsAsync(c, "SELECT library, item, role, id, sources, path, updated_at FROM items ORDER BY library, item, role",
                r => new ItemChange(ItemChangeKind.Register, r.GetString(0), new ItemRef(r.GetString(1), r.GetString(3)),
                    new ItemRegistration(r.GetString(0), new ItemRef(r.GetString(1), r.GetString(3)), r.GetString(2),
                        JsonSerializer.Deserialize(r.GetString(4), ItemJson.Default.ListString) ?? [], r.NullableString(5),
                        new DateTimeOffset(r.GetInt64(6), TimeSpan.Zero))), cancellationToken).ConfigureAwait(false))
            {
                await sink.ItemAsync(change, cancellationToken).ConfigureAwait(false);
                count++;
            }

            await foreach (var change in RowsAsync(c, "SELECT library, alias, alias_id, item, item_id FROM aliases ORDER BY library, item, alias",
                r => new ItemChange(ItemChangeKind.Aliases, r.GetString(0), new ItemRef(r.GetString(3), r.GetString(4)),
                    Aliases: [new ItemRef(r.GetString(1), r.GetString(2))]), cancellationToken).ConfigureAwait(false))
            {
                await sink.ItemAsync(change, cancellationToken).ConfigureAwait(false);
                count++;
            }

            await foreach (var entry in RowsAsync(c, $"SELECT {SqliteNegativeIndex.Columns} FROM negatives ORDER BY item", SqliteNegativeIndex.Entry,
                cancellationToken).ConfigureAwait(false))
            {
                await sink.NegativeAsync(entry, cancellationToken).ConfigureAwait(false);
                count++;
            }

            return count;
        }, cancellationToken);
    }

    private static async IAsyncEnumerable<T> RowsAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> map,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return map(reader);
        }
    }
}
