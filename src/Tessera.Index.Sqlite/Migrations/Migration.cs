using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>One numbered schema change. It runs inside the migrating transaction, once, in number order; the number
/// reached is kept in <c>PRAGMA user_version</c>.</summary>
internal sealed record Migration(int Number, string Name, Action<SqliteConnection> Apply);
