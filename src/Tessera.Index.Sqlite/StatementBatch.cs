using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite;

/// <summary>Statements run many times on one connection (a bulk registration, a journal replay): each SQL text is
/// prepared once and run again with new parameter values, instead of being parsed for every row.</summary>
internal sealed class StatementBatch(SqliteConnection connection) : IAsyncDisposable
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var cmd))
        {
            cmd = connection.Command(sql, parameters);
            _prepared[sql] = cmd;
        }
        else
        {
            foreach (var (name, value) in parameters)
            {
                cmd.Parameters[name].Value = value ?? DBNull.Value;
            }
        }

        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in _prepared.Values)
        {
            await cmd.DisposeAsync().ConfigureAwait(false);
        }
    }
}
