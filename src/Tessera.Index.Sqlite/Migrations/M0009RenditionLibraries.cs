using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>Which non-public libraries answered with a rendition, so its content address (/c/) gets the same access
/// check. Public renditions have no rows.</summary>
internal static class M0009RenditionLibraries
{
    public static void Apply(SqliteConnection connection) => connection.Execute("""
        CREATE TABLE rendition_libraries(key TEXT NOT NULL, library TEXT NOT NULL, PRIMARY KEY(key, library)) WITHOUT ROWID;
        """);
}
