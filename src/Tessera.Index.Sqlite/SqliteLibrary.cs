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

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == "e_sqlite3" && NativeLibrary.TryLoad(SystemLibrary, out var handle) ? handle : 0;
}
