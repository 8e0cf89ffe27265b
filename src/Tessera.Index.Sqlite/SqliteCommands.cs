using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite;

/// <summary>Small helpers over Microsoft.Data.Sqlite commands: parameters by name, lists, scalars.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    public static void Execute(this SqliteConnection connection, string sql)
    {
        using var cmd = connection.Command(sql);
        cmd.ExecuteNonQuery();
    }

    public static long Scalar(this SqliteConnection connection, string sql)
    {
        using var cmd = connection.Command(sql);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static async Task<int> ExecuteAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var cmd = connection.Command(sql, parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<long> ScalarAsync(this SqliteConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var cmd = connection.Command(sql, parameters);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public static async Task<List<T>> ListAsync<T>(this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = connection.Command(sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }

        return list;
    }

    public static async Task<T?> FirstAsync<T>(this SqliteConnection connection, string sql, Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class
    {
        await using var cmd = connection.Command(sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
    }

    /// <summary>Rows for many values in a few statements: <paramref name="sql"/> has "{0}" where the parameter list of
    /// an IN (…) goes, filled with at most 500 values a statement.</summary>
    public static async Task<List<T>> ListInAsync<T>(this SqliteConnection connection, string sql, IReadOnlyCollection<string> values,
        Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        const int Chunk = 500;
        var list = new List<T>();
        foreach (var chunk in values.Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            var names = chunk.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"$in{i}")).ToArray();
            var all = parameters.Concat(chunk.Select((v, i) => (names[i], (object?)v))).ToArray();
            list.AddRange(await connection.ListAsync(string.Format(CultureInfo.InvariantCulture, sql, string.Join(", ", names)), map, cancellationToken, all)
                .ConfigureAwait(false));
        }

        return list;
    }

    public static string? NullableString(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableInt64(this SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
