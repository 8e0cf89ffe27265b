using System.Reflection;
using System.Runtime.InteropServices;

namespace Tessera.Index.Sqlite;

/// <summary>Makes Microsoft.Data.Sqlite use the system libsqlite3.so.0, so the process holds one SQLite.
/// libvips' openslide module loads the system libsqlite3 with RTLD_GLOBAL at vips_init; its sqlite3_*
/// symbols then interpose on the bundled e_sqlite3's lazily bound internal calls and the two copies' state
/// mixes (SIGSEGV in sqlite3_open_v2 when libvips starts first). Mapping the provider's "e_sqlite3" import to
/// the system library removes the second copy instead of depending on start-up order.
/// This changes which SQLite every Microsoft.Data.Sqlite user in the process gets, so Tessera never does it by itself:
/// the host calls <see cref="UseSystemLibrary"/> once, before anything opens SQLite (the tessera CLI and server do).</summary>
public static class SqliteLibrary
{
    private const string SystemLibrary = "libsqlite3.so.0";
    private static int _configured;
    private static int _bound;

    /// <summary>Whether <see cref="UseSystemLibrary"/> has been called in this process.</summary>
    public static bool UsesSystemLibrary => Volatile.Read(ref _configured) == 1;

    /// <summary>Maps Microsoft.Data.Sqlite's bundled e_sqlite3 to the system libsqlite3.so.0 for the whole process. Call it
    /// once at start, before any SQLite connection; later calls do nothing.</summary>
    public static void UseSystemLibrary()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1 || !OperatingSystem.IsLinux())
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly, Resolve);
    }

    /// <summary>Opens an in-memory database and runs a statement, so SQLite's library is loaded and the entry points
    /// a connection uses are bound on this thread, now. A host calls it just before it starts libvips on a pool thread
    /// (<c>EngineStart</c>): loading libvips holds the dynamic loader's lock for tens of milliseconds, and the index's
    /// first open, binding those entry points meanwhile, waited for all of it (strace: 40-100 ms in a futex on the
    /// loader's lock before the first <c>sqlite3_*</c> call), so the index opened after libvips instead of beside it.</summary>
    public static void BindNow()
    {
        if (Interlocked.Exchange(ref _bound, 1) == 1)
        {
            return;
        }

        try
        {
            Bind();
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or DllNotFoundException or EntryPointNotFoundException
            or TypeInitializationException)
        {
            // Only a head start: the index's own open reports what is wrong (and a PostgreSQL index needs none of it).
        }
    }

    private static void Bind()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:;Default Timeout=5");
        connection.Open();
        using (var transaction = connection.BeginTransaction())
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "CREATE TABLE t(i INTEGER PRIMARY KEY, s TEXT, b BLOB, r REAL, n TEXT); INSERT INTO t(s, b, r, n) VALUES ($s, $b, $r, $n)";
            command.Parameters.AddWithValue("$s", "x");
            command.Parameters.AddWithValue("$b", new byte[] { 1 });
            command.Parameters.AddWithValue("$r", 1.5);
            command.Parameters.AddWithValue("$n", DBNull.Value);
            _ = command.ExecuteNonQuery();
            transaction.Commit();
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT i, s, b, r, n FROM t WHERE i = $i";
        read.Parameters.AddWithValue("$i", 1L);
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            _ = (reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetDouble(3), reader.IsDBNull(4));
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == "e_sqlite3" && NativeLibrary.TryLoad(SystemLibrary, out var handle) ? handle : 0;
}
