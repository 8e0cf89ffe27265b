using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite;

/// <summary>Rows of one catalog, four values each (type, id and two more), gathered and written by multi-row INSERTs of
/// up to <see cref="Chunk"/> rows: one statement, prepared once, per full chunk instead of one per row. Triggers still run
/// per row. <see cref="FlushAsync"/> writes what is pending (before a DELETE that must see it, and at the end).</summary>
internal sealed class RowInserts(SqliteConnection connection, string sqlFormat, string catalog) : IAsyncDisposable
{
    private const int Chunk = 100;
    private readonly List<object?[]> _pending = [];
    private SqliteCommand? _full;

    public async Task AddAsync(CancellationToken cancellationToken, params object?[] row)
    {
        _pending.Add(row);
        if (_pending.Count == Chunk)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        if (_pending.Count == Chunk)
        {
            _full ??= Prepare(Chunk);
            await RunAsync(_full, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using var partial = Prepare(_pending.Count);
            await RunAsync(partial, cancellationToken).ConfigureAwait(false);
        }

        _pending.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (_full is not null)
        {
            await _full.DisposeAsync().ConfigureAwait(false);
        }
    }

    private SqliteCommand Prepare(int rows)
    {
        var values = new StringBuilder();
        var cmd = connection.CreateCommand();
        cmd.Parameters.AddWithValue("$c", catalog);
        for (var i = 0; i < rows; i++)
        {
            values.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}($c, $a{i}, $b{i}, $x{i}, $y{i})");
            foreach (var name in new[] { "$a", "$b", "$x", "$y" })
            {
                cmd.Parameters.Add(new SqliteParameter(name + i.ToString(CultureInfo.InvariantCulture), DBNull.Value));
            }
        }

        cmd.CommandText = string.Format(CultureInfo.InvariantCulture, sqlFormat, values);
        return cmd;
    }

    private async Task RunAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _pending.Count; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                cmd.Parameters[(i * 4) + j + 1].Value = _pending[i][j] ?? DBNull.Value;
            }
        }

        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
