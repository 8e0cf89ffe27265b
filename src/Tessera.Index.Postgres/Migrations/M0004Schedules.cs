namespace Tessera.Index.Postgres.Migrations;

/// <summary>The next run time of each timed trigger (<see cref="PostgresScheduleIndex"/>), shared by the replicas.</summary>
internal static class M0004Schedules
{
    public const string Sql = "CREATE TABLE schedules(name text PRIMARY KEY, next_at bigint NOT NULL);";
}
