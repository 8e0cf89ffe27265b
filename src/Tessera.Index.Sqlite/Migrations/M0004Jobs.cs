using Microsoft.Data.Sqlite;

namespace Tessera.Index.Sqlite.Migrations;

/// <summary>Background jobs, their work units and a capped sample of their failures (<see cref="SqliteJobIndex"/>).
/// One active job per kind and scope is a partial unique index, so duplicate refusal holds even between processes.
/// Times are Unix milliseconds from the caller's clock.</summary>
internal static class M0004Jobs
{
    public static void Apply(SqliteConnection connection) => connection.Execute("""
        CREATE TABLE jobs(
            id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, scope TEXT NOT NULL, spec TEXT NOT NULL,
            trigger TEXT NOT NULL, status TEXT NOT NULL, phase TEXT NOT NULL, priority INTEGER NOT NULL,
            cursor TEXT, error TEXT, max_runtime_ms INTEGER,
            created_at INTEGER NOT NULL, started_at INTEGER, updated_at INTEGER NOT NULL, finished_at INTEGER,
            owner TEXT, lease_until INTEGER, version INTEGER NOT NULL DEFAULT 0);
        CREATE UNIQUE INDEX jobs_active ON jobs(kind, scope) WHERE status IN ('queued', 'running', 'paused');
        CREATE INDEX jobs_status ON jobs(status, finished_at);
        CREATE TABLE job_units(
            id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL, seq INTEGER NOT NULL, items TEXT NOT NULL, tasks INTEGER NOT NULL,
            state TEXT NOT NULL, owner TEXT, lease_until INTEGER, version INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
            completed INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL);
        CREATE UNIQUE INDEX job_units_job ON job_units(job_id, seq);
        CREATE INDEX job_units_claim ON job_units(state, lease_until);
        CREATE TABLE job_failures(
            job_id INTEGER NOT NULL, seq INTEGER NOT NULL, item TEXT NOT NULL, preset TEXT NOT NULL, reason TEXT NOT NULL,
            detail TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(job_id, seq)) WITHOUT ROWID;
        """);
}
