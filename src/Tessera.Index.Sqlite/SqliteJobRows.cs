using Microsoft.Data.Sqlite;
using Tessera.Core.Jobs;

namespace Tessera.Index.Sqlite;

/// <summary>How jobs are read: the row plus its counters summed over its units (never stored, so they cannot drift
/// from the checkpoint), and the enums as the lower-case names <see cref="JobNames"/> gives them.</summary>
internal static class SqliteJobRows
{
    public const string Running = "running";
    public const string Pending = "pending";
    public const string Done = "done";

    /// <summary>Jobs matching <paramref name="where"/> (on alias <c>j</c>), ordered and limited by
    /// <paramref name="tail"/>, each with its unit sums.</summary>
    public static string Select(string where, string tail = "") => $"""
        WITH page AS (SELECT * FROM jobs j WHERE {where} {tail})
        SELECT page.id, page.kind, page.scope, page.spec, page.trigger, page.status, page.phase, page.priority,
            coalesce(sum(u.tasks), 0), coalesce(sum(u.completed), 0), coalesce(sum(u.skipped), 0), coalesce(sum(u.failed), 0),
            coalesce(sum(u.bytes), 0), count(u.id), coalesce(sum(u.state <> '{Done}'), 0),
            page.cursor, page.error, page.max_runtime_ms, page.created_at, page.started_at, page.updated_at, page.finished_at,
            page.owner, page.lease_until, page.version
        FROM page LEFT JOIN job_units u ON u.job_id = page.id
        GROUP BY page.id ORDER BY page.id DESC
        """;

    public static JobRecord Job(SqliteDataReader r) => new(
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

    private static DateTimeOffset? OptionalTime(SqliteDataReader r, int ordinal) => r.NullableInt64(ordinal) is { } ms ? Time(ms) : null;
}
