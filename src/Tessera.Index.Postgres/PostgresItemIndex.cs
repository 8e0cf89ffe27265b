using System.Text.Json;
using Npgsql;
using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>Item registrations (their sources as a JSON array, as on SQLite) and aliases.</summary>
public sealed class PostgresItemIndex(PostgresDatabase database) : IItemIndex
{
    public Task<ItemRef?> GetAliasAsync(string library, string itemKey, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.FirstAsync("SELECT item, item_id FROM aliases WHERE library = @l AND alias = @a",
            r => new ItemRef(r.GetString(0), r.GetString(1)), cancellationToken, ("l", library), ("a", itemKey)), cancellationToken);

    public Task PutAliasesAsync(string library, ItemRef item, IReadOnlyList<ItemRef> aliases, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(aliases);
        return database.WriteAsync(c => PutAliasesAsync(c, library, item, aliases, cancellationToken), cancellationToken);
    }

    public Task ApplyAsync(IReadOnlyList<ItemChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return database.WriteAsync(async c =>
        {
            foreach (var change in changes)
            {
                await ApplyAsync(c, change, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ItemRef>> ListItemsAsync(string library, string? afterKey, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("""
            SELECT item, max(id) FROM (SELECT item, id FROM items WHERE library = @l UNION ALL SELECT item, item_id AS id FROM aliases WHERE library = @l) x
            WHERE item > @after GROUP BY item ORDER BY item LIMIT @n
            """, r => new ItemRef(r.GetString(0), r.GetString(1)), cancellationToken, ("l", library), ("after", afterKey ?? string.Empty), ("n", Math.Max(0, limit))),
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ItemRef>> ListAliasesAsync(string library, string itemKey, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ListAsync("SELECT alias, alias_id FROM aliases WHERE library = @l AND item = @i ORDER BY alias_id",
            r => new ItemRef(r.GetString(0), r.GetString(1)), cancellationToken, ("l", library), ("i", itemKey)), cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyDictionary<string, ItemRef>> GetAliasesAsync(string library, IReadOnlyCollection<string> itemKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(itemKeys);
        return database.ReadAsync<IReadOnlyDictionary<string, ItemRef>>(async c =>
            (await c.ListAsync("SELECT alias, item, item_id FROM aliases WHERE library = @l AND alias = ANY(@in)",
                r => (Alias: r.GetString(0), Item: new ItemRef(r.GetString(1), r.GetString(2))), cancellationToken, ("l", library),
                ("in", PostgresCommands.Array(itemKeys))).ConfigureAwait(false))
            .ToDictionary(a => a.Alias, a => a.Item, StringComparer.Ordinal), cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, ItemRegistration>> GetRegistrationsAsync(string library, IReadOnlyCollection<string> itemKeys, string role,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(itemKeys);
        return database.ReadAsync<IReadOnlyDictionary<string, ItemRegistration>>(async c =>
            (await c.ListAsync("SELECT item, id, sources, path, updated_at FROM items WHERE library = @l AND role = @r AND item = ANY(@in)",
                r => new ItemRegistration(library, new ItemRef(r.GetString(0), r.GetString(1)), role, Sources(r.GetString(2)), r.NullableString(3),
                    new DateTimeOffset(r.GetInt64(4), TimeSpan.Zero)), cancellationToken, ("l", library), ("r", role),
                ("in", PostgresCommands.Array(itemKeys))).ConfigureAwait(false))
            .ToDictionary(x => x.Item.Key, StringComparer.Ordinal), cancellationToken);
    }

    public async Task<ItemRegistration?> GetRegistrationAsync(string library, string itemKey, string role, CancellationToken cancellationToken)
    {
        var found = await ReadRegistrationsAsync(library, itemKey, role, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<ItemRegistration>> ListRegistrationsAsync(string library, string itemKey, CancellationToken cancellationToken) =>
        await ReadRegistrationsAsync(library, itemKey, null, cancellationToken).ConfigureAwait(false);

    public Task PutRegistrationAsync(ItemRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return database.StatementAsync(c => PutRegistrationAsync(c, registration, cancellationToken), cancellationToken);
    }

    internal static IReadOnlyList<string> Sources(string json) => JsonSerializer.Deserialize(json, PostgresJson.Default.ListString) ?? [];

    private static Task ApplyAsync(NpgsqlConnection c, ItemChange change, CancellationToken cancellationToken) => change.Kind switch
    {
        ItemChangeKind.Register => PutRegistrationAsync(c, change.Registration!, cancellationToken),
        ItemChangeKind.Aliases => PutAliasesAsync(c, change.Library, change.Item, change.Aliases ?? [], cancellationToken),
        ItemChangeKind.RemoveAlias => c.ExecuteAsync("DELETE FROM aliases WHERE library = @l AND alias = @a", cancellationToken,
            ("l", change.Library), ("a", change.Item.Key)),
        ItemChangeKind.Purge => c.ExecuteAsync("""
            WITH gone AS (DELETE FROM items WHERE library = @l AND item = @i) DELETE FROM aliases WHERE library = @l AND item = @i
            """, cancellationToken, ("l", change.Library), ("i", change.Item.Key)),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "unknown item change"),
    };

    private static async Task PutAliasesAsync(NpgsqlConnection c, string library, ItemRef item, IReadOnlyList<ItemRef> aliases, CancellationToken cancellationToken)
    {
        foreach (var alias in aliases.Where(a => a.Key != item.Key))
        {
            // Whatever pointed at the alias now points at the item: aliases stay one hop deep.
            await c.ExecuteAsync("UPDATE aliases SET item = @i, item_id = @iid WHERE library = @l AND item = @a", cancellationToken,
                ("i", item.Key), ("iid", item.Id), ("l", library), ("a", alias.Key)).ConfigureAwait(false);
            await c.ExecuteAsync("""
                INSERT INTO aliases(library, alias, alias_id, item, item_id, created_at) VALUES (@l, @a, @aid, @i, @iid, @now)
                ON CONFLICT(library, alias) DO UPDATE SET item = @i, item_id = @iid
                """, cancellationToken, ("l", library), ("a", alias.Key), ("aid", alias.Id), ("i", item.Key), ("iid", item.Id),
                ("now", PostgresCommands.Now())).ConfigureAwait(false);
        }
    }

    private static Task<int> PutRegistrationAsync(NpgsqlConnection c, ItemRegistration registration, CancellationToken cancellationToken)
    {
        if (registration.Sources.Count == 0 && registration.Path is null)
        {
            return c.ExecuteAsync("DELETE FROM items WHERE library = @l AND item = @i AND role = @r", cancellationToken,
                ("l", registration.Library), ("i", registration.Item.Key), ("r", registration.Role));
        }

        var sources = JsonSerializer.Serialize(registration.Sources.ToList(), PostgresJson.Default.ListString);
        return c.ExecuteAsync("""
            INSERT INTO items(library, item, role, id, sources, path, updated_at) VALUES (@l, @i, @r, @id, @s, @p, @u)
            ON CONFLICT(library, item, role) DO UPDATE SET id = @id, sources = @s, path = @p, updated_at = @u
            """, cancellationToken, ("l", registration.Library), ("i", registration.Item.Key), ("r", registration.Role), ("id", registration.Item.Id),
            ("s", sources), ("p", registration.Path), ("u", registration.UpdatedAt.UtcTicks));
    }

    private Task<List<ItemRegistration>> ReadRegistrationsAsync(string library, string itemKey, string? role, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ListAsync("""
            SELECT role, id, sources, path, updated_at FROM items WHERE library = @l AND item = @i AND (@r::text IS NULL OR role = @r) ORDER BY role
            """, r => new ItemRegistration(library, new ItemRef(itemKey, r.GetString(1)), r.GetString(0), Sources(r.GetString(2)), r.NullableString(3),
                new DateTimeOffset(r.GetInt64(4), TimeSpan.Zero)),
            cancellationToken, ("l", library), ("i", itemKey), ("r", role)), cancellationToken);
}
