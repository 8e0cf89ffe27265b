using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Tessera.Tests.Support;

/// <summary>Opens the bundled SQLite (e_sqlite3) once, before any test can start libvips.
/// vips_init loads its modules with RTLD_GLOBAL; vips-openslide pulls in the system libsqlite3.so.0, whose
/// exported sqlite3_* symbols then interpose on e_sqlite3's not-yet-bound internal calls. A process that starts
/// libvips before its first SQLite open dies with SIGSEGV inside sqlite3_open_v2. The tessera hosts open the
/// index before the first thumbnail; tests run in any order, so the test process does the same up front.</summary>
internal static class SqliteBeforeVips
{
    [ModuleInitializer]
    internal static void Open()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t(k TEXT PRIMARY KEY, v INTEGER); INSERT INTO t VALUES ('a', 1) ON CONFLICT(k) DO UPDATE SET v = v + 1; SELECT count(*) FROM t;";
        _ = command.ExecuteScalar();
    }
}
