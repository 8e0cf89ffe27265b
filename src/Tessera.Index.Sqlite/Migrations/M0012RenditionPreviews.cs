using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>Each rendition's preview for the batch manifest: a ThumbHash (base64) and its average colour (#rrggbb).
/// Existing rows get NULL: they answer without a preview until they are generated again.</summary>
internal static class M0012RenditionPreviews
{
    public static void Apply(SqliteConnection connection) => connection.Execute("""
        ALTER TABLE renditions ADD COLUMN thumbhash TEXT;
        ALTER TABLE renditions ADD COLUMN colour TEXT;
        """);
}
