using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>The settings version (preset spec and pipeline version, hashed short) that made each rendition. Existing
/// rows get NULL: their keys already encode the same settings, so nothing is re-rendered for it.</summary>
internal static class M0005RenditionSettings
{
    public static void Apply(SqliteConnection connection) => connection.Execute("ALTER TABLE renditions ADD COLUMN settings TEXT");
}
