using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite;

/// <summary>How a read-only connection opens the index without writing a byte to its folder. SQLite's Mode=ReadOnly
/// alone is not enough in WAL mode: a reader creates <c>-wal</c> and <c>-shm</c> when they are missing and leaves them.
/// So, chosen at each connection: with no <c>-wal</c> (no process has the index open; a clean shutdown removes it) the
/// file is opened <c>immutable</c> — no locks, no WAL, no side files; with a <c>-wal</c> (a server has it open, or one
/// crashed) the reader joins the WAL as SQLite requires, which may record a read mark in the shared-memory <c>-shm</c>
/// (or rebuild it after a crash): that file is SQLite's lock table, not data, and a consistent read beside a writer
/// cannot do without it.</summary>
internal sealed class ReadOnlyConnections(string path)
{
    private readonly string _shared = Build(path, immutable: false);
    private readonly string _immutable = Build(path, immutable: true);

    public string ConnectionString() => File.Exists(path + "-wal") ? _shared : _immutable;

    private static string Build(string path, bool immutable) => new SqliteConnectionStringBuilder
    {
        // A URI, so that immutable can be said; the path's reserved characters are escaped.
        DataSource = "file:" + Uri.EscapeDataString(Path.GetFullPath(path)).Replace("%2F", "/", StringComparison.Ordinal) + (immutable ? "?immutable=1" : string.Empty),
        Mode = SqliteOpenMode.ReadOnly,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();
}
