using Npgsql;
using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>A shared PostgreSQL index is backed up by PostgreSQL's own tools (pg_dump, or the server's base backups and
/// WAL archive), not by Tessera: <see cref="BackupAsync"/> says so. The app's data is still read in one snapshot.</summary>
public sealed class PostgresIndexBackup(PostgresDatabase database) : IIndexBackup
{
    /// <summary>Always true: other replicas may be writing the shared index (and its items are theirs too, so a data
    /// folder's journal is never compacted from it).</summary>
    public bool OpenElsewhere => true;

    public Task BackupAsync(string path, CancellationToken cancellationToken) =>
        throw new IndexException(IndexFailure.Failed,
            $"The index is PostgreSQL ({database.Description}): back it up with pg_dump (e.g. `pg_dump -Fc -f tessera.dump DATABASE`), " +
            "not `tessera backup`; the rendition files are backed up as usual", null);

    public Task<long> ReadAppDataAsync(IAppDataSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        return database.SnapshotAsync(async c =>
        {
            long count = 0;
            await foreach (var change in RowsAsync(c, "SELECT library, item, role, id, sources, path, updated_at FROM items ORDER BY library, item, role",
                r => new ItemChange(ItemChangeKind.Register, r.GetString(0), new ItemRef(r.GetString(1), r.GetString(3)),
                    new ItemRegistration(r.GetString(0), new ItemRef(r.GetString(1), r.GetString(3)), r.GetString(2),
                        PostgresItemIndex.Sources(r.GetString(4)), r.NullableString(5), new DateTimeOffset(r.GetInt64(6), TimeSpan.Zero))),
                cancellationToken).ConfigureAwait(false))
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

            await foreach (var entry in RowsAsync(c, $"SELECT {PostgresNegativeIndex.Columns} FROM negatives ORDER BY item", PostgresNegativeIndex.Entry,
                cancellationToken).ConfigureAwait(false))
            {
                await sink.NegativeAsync(entry, cancellationToken).ConfigureAwait(false);
                count++;
            }

            return count;
        }, cancellationToken);
    }

    private static async IAsyncEnumerable<T> RowsAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return map(reader);
        }
    }
}
