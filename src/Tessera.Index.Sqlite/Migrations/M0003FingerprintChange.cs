using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>The inode change time (ns) and inode of each fingerprinted file, so a rewrite that keeps size and mtime
/// (<c>cp -p</c>, <c>rsync -t</c>) is seen. Existing rows get NULL: their file is hashed once more on its next request,
/// and the row then holds both.</summary>
internal static class M0003FingerprintChange
{
    public static void Apply(SqliteConnection connection) => connection.Execute("""
        ALTER TABLE fingerprints ADD COLUMN ctime INTEGER;
        ALTER TABLE fingerprints ADD COLUMN inode INTEGER;
        """);
}
