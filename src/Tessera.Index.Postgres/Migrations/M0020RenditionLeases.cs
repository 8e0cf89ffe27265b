namespace Tessera.Index.Postgres.Migrations;

/// <summary>Who renders each rendition key now (<see cref="PostgresRenditionLeases"/>). Numbered 20, well apart from
/// the migrations other branches add meanwhile; the migrator applies every number not yet recorded, in order.</summary>
internal static class M0020RenditionLeases
{
    public const string Sql = """
        CREATE TABLE rendition_leases(key text COLLATE "C" PRIMARY KEY, owner text NOT NULL, expires_at timestamptz NOT NULL);
        """;
}
