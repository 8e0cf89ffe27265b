using System.Globalization;
using Npgsql;

namespace Tessera.Index.Postgres;

/// <summary>Small helpers over Npgsql commands: parameters by name (<c>@name</c> in the SQL), lists, scalars. A null
/// value is sent untyped, so the SQL casts a parameter that may be null where nothing else gives its type
/// (<c>@p::text IS NULL</c>).</summary>
internal static class PostgresCommands
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        }

        return cmd;
    }

    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var cmd = connection.Command(sql, parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<long> ScalarAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var cmd = connection.Command(sql, parameters);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public static async Task<List<T>> ListAsync<T>(this NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map,
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

    public static async Task<T?> FirstAsync<T>(this NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class
    {
        await using var cmd = connection.Command(sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
    }

    /// <summary>Distinct values as a text[] parameter, for <c>= ANY(@name)</c>: one statement however many.</summary>
    public static string[] Array(IEnumerable<string> values) => [.. values.Distinct(StringComparer.Ordinal)];

    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableInt64(this NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
