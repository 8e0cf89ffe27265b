using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Tessera.Core.Index;

/// <summary>Derived originals, item registrations and aliases.</summary>
public sealed partial class SqliteCacheIndex : IItemIndex
{
    private static void CreateItems(SqliteConnection connection) => Execute(connection, """
        CREATE TABLE IF NOT EXISTS derived(
            source TEXT NOT NULL, step TEXT NOT NULL, original TEXT, detail TEXT,
            etag TEXT, last_modified INTEGER, fresh_until INTEGER, updated_at INTEGER NOT NULL,
            PRIMARY KEY(source, step)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS derived_original ON derived(original);
        CREATE TABLE IF NOT EXISTS items(
            library TEXT NOT NULL, item TEXT NOT NULL, role TEXT NOT NULL, id TEXT NOT NULL,
            sources TEXT NOT NULL, path TEXT, updated_at INTEGER NOT NULL,
            PRIMARY KEY(library, item, role)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS aliases(
            library TEXT NOT NULL, alias TEXT NOT NULL, alias_id TEXT NOT NULL, item TEXT NOT NULL, item_id TEXT NOT NULL,
            created_at INTEGER NOT NULL, PRIMARY KEY(library, alias)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS aliases_item ON aliases(library, item);
        """);

    public async Task<DerivedOriginal?> GetDerivedAsync(string source, string stepName, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, """
            SELECT original, detail, etag, last_modified, fresh_until FROM derived WHERE source = $s AND step = $t
            """, ("$s", source), ("$t", stepName));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new DerivedOriginal(source, stepName, NullableString(reader, 0), NullableString(reader, 1))
        {
            ETag = NullableString(reader, 2),
            LastModified = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(3)),
            FreshUntil = reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(4)),
        };
    }

    public Task PutDerivedAsync(DerivedOriginal derived, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(derived);
        return WriteAsync(connection => Command(connection, """
            INSERT INTO derived(source, step, original, detail, etag, last_modified, fresh_until, updated_at)
            VALUES ($s, $t, $o, $d, $e, $lm, $f, $now)
            ON CONFLICT(source, step) DO UPDATE SET original = $o, detail = $d, etag = $e, last_modified = $lm, fresh_until = $f, updated_at = $now
            """, ("$s", derived.Source), ("$t", derived.Step), ("$o", derived.Original), ("$d", derived.Detail), ("$e", derived.ETag),
            ("$lm", derived.LastModified?.ToUnixTimeSeconds()), ("$f", derived.FreshUntil?.ToUnixTimeSeconds()), ("$now", Now())), cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ForgetDerivedAsync(IReadOnlyCollection<string> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var originals = new List<string>();
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction(deferred: false);
            foreach (var source in sources)
            {
                await using (var select = Command(connection, "SELECT original FROM derived WHERE source = $s AND original IS NOT NULL", ("$s", source)))
                {
                    select.Transaction = tx;
                    await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        originals.Add(reader.GetString(0));
                    }
                }

                await using var delete = Command(connection, "DELETE FROM derived WHERE source = $s", ("$s", source));
                delete.Transaction = tx;
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }

        return originals;
    }

    public async Task<ItemRef?> GetAliasAsync(string library, string itemKey, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT item, item_id FROM aliases WHERE library = $l AND alias = $a", ("$l", library), ("$a", itemKey));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new ItemRef(reader.GetString(0), reader.GetString(1)) : null;
    }

    public async Task PutAliasesAsync(string library, ItemRef item, IReadOnlyList<ItemRef> aliases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(aliases);
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = Open();
            await using var tx = connection.BeginTransaction(deferred: false);
            foreach (var alias in aliases.Where(a => a.Key != item.Key))
            {
                // Whatever pointed at the alias now points at the item: aliases stay one hop deep.
                await using (var follow = Command(connection, "UPDATE aliases SET item = $i, item_id = $iid WHERE library = $l AND item = $a",
                    ("$i", item.Key), ("$iid", item.Id), ("$l", library), ("$a", alias.Key)))
                {
                    follow.Transaction = tx;
                    await follow.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using var put = Command(connection, """
                    INSERT INTO aliases(library, alias, alias_id, item, item_id, created_at) VALUES ($l, $a, $aid, $i, $iid, $now)
                    ON CONFLICT(library, alias) DO UPDATE SET item = $i, item_id = $iid
                    """, ("$l", library), ("$a", alias.Key), ("$aid", alias.Id), ("$i", item.Key), ("$iid", item.Id), ("$now", Now()));
                put.Transaction = tx;
                await put.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<IReadOnlyList<ItemRef>> ListAliasesAsync(string library, string itemKey, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, "SELECT alias, alias_id FROM aliases WHERE library = $l AND item = $i ORDER BY alias_id",
            ("$l", library), ("$i", itemKey));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ItemRef>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ItemRef(reader.GetString(0), reader.GetString(1)));
        }

        return list;
    }

    public async Task<ItemRegistration?> GetRegistrationAsync(string library, string itemKey, string role, CancellationToken cancellationToken)
    {
        var found = await ReadRegistrationsAsync(library, itemKey, role, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    public Task<IReadOnlyList<ItemRegistration>> ListRegistrationsAsync(string library, string itemKey, CancellationToken cancellationToken) =>
        ReadRegistrationsAsync(library, itemKey, null, cancellationToken);

    public Task PutRegistrationAsync(ItemRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.Sources.Count == 0 && registration.Path is null)
        {
            return WriteAsync(connection => Command(connection, "DELETE FROM items WHERE library = $l AND item = $i AND role = $r",
                ("$l", registration.Library), ("$i", registration.Item.Key), ("$r", registration.Role)), cancellationToken);
        }

        return WriteAsync(connection => Command(connection, """
            INSERT INTO items(library, item, role, id, sources, path, updated_at) VALUES ($l, $i, $r, $id, $s, $p, $u)
            ON CONFLICT(library, item, role) DO UPDATE SET id = $id, sources = $s, path = $p, updated_at = $u
            """, ("$l", registration.Library), ("$i", registration.Item.Key), ("$r", registration.Role), ("$id", registration.Item.Id),
            ("$s", JsonSerializer.Serialize(registration.Sources)), ("$p", registration.Path), ("$u", registration.UpdatedAt.UtcTicks)), cancellationToken);
    }

    private async Task<IReadOnlyList<ItemRegistration>> ReadRegistrationsAsync(string library, string itemKey, string? role, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var cmd = Command(connection, """
            SELECT role, id, sources, path, updated_at FROM items WHERE library = $l AND item = $i AND ($r IS NULL OR role = $r) ORDER BY role
            """, ("$l", library), ("$i", itemKey), ("$r", role));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ItemRegistration>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ItemRegistration(library, new ItemRef(itemKey, reader.GetString(1)), reader.GetString(0),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(2)) ?? [], NullableString(reader, 3),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero)));
        }

        return list;
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
