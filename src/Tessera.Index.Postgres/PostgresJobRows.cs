using Npgsql;
using Tessera.Core.Jobs;

namespace Tessera.Index.Postgres;

/// <summary>How jobs are read: the row plus its counters summed over its units (never stored, so they cannot drift
/// from the checkpoint), and the enums as the lower-case names <see cref="JobNames"/> gives them.</summary>
internal static class PostgresJobRows
{
    public const string Running = "running";
    public const string Pending = "pending";
    public const string Done = "done";

    /// <summary>Jobs matching <paramref name="where"/> (on alias <c>j</c>), ordered and limited by
    /// <paramref name="tail"/>, each with its unit sums.</summary>
    public static string Select(string where, string tail = "ORDER BY j.id DESC") => $"""
        SELECT j.id, j.kind, j.scope, j.spec, j.trigger, j.status, j.phase, j.priority,
            u.tasks, u.completed, u.skipped, u.failed, u.bytes, u.units, u.open,
            j.cursor, j.error, j.max_runtime_ms, j.created_at, j.started_at, j.updated_at, j.finished_at,
            j.owner, j.lease_until, j.version
        FROM jobs j CROSS JOIN LATERAL (SELECT coalesce(sum(tasks), 0)::bigint AS tasks, coalesce(sum(completed), 0)::bigint AS completed,
            coalesce(sum(skipped), 0)::bigint AS skipped, coalesce(sum(failed), 0)::bigint AS failed, coalesce(sum(bytes), 0)::bigint AS bytes,
            count(*)::integer AS units, (count(*) FILTER (WHERE state <> '{Done}'))::integer AS open
            FROM job_units WHERE job_id = j.id) u
        WHERE {where} {tail}
        """;

    public static JobRecord Job(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
        JobNames.TryParse(r.GetString(4), out JobTrigger trigger) ? trigger : JobTrigger.Manual,
        // A status or phase written by a newer version reads as failed / processing rather than breaking the list.
        JobNames.TryParse(r.GetString(5), out JobStatus status) ? status : JobStatus.Failed,
        JobNames.TryParse(r.GetString(6), out JobPhase phase) ? phase : JobPhase.Processing,
        r.GetInt32(7),
        new JobCounts(r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11), r.GetInt64(12)),
        r.GetInt32(13), r.GetInt32(14),
        r.NullableString(15), r.NullableString(16),
        r.NullableInt64(17) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        Time(r.GetInt64(18)), OptionalTime(r, 19), Time(r.GetInt64(20)), OptionalTime(r, 21),
        r.NullableString(22), OptionalTime(r, 23), r.GetInt64(24));

    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static bool IsFinished(JobStatus status) => !JobNames.IsActive(status);

    private static DateTimeOffset? OptionalTime(NpgsqlDataReader r, int ordinal) => r.NullableInt64(ordinal) is { } ms ? Time(ms) : null;
}
