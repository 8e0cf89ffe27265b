using Microsoft.Data.Sqlite;
using Tessera.Core.Stats;

/// <summary>The kept totals against the rows themselves: what StatsReader reports (from the trigger-kept tables) and
/// what a direct scan of the renditions table counts. Run outside every timed part.</summary>
internal sealed record TotalsCheck(long Rows, long StatsRenditions, long Bytes, long StatsBytes, long HistogramEntries, long TimedRows,
    (double? Histogram, double Exact)[] Percentiles)
{
    public static readonly double[] Ps = [0.50, 0.95, 0.99];

    /// <summary>Counts and bytes equal; every timed row is in the histogram; each percentile within the histogram's 12%.</summary>
    public bool Ok => Rows == StatsRenditions && Bytes == StatsBytes && HistogramEntries == TimedRows &&
                      Percentiles.All(p => p.Histogram is { } h && Math.Abs(h - p.Exact) <= 0.12 * p.Exact);

    public static async Task<TotalsCheck> RunAsync(BenchCache cache, string dir)
    {
        StatsReport report = await cache.Stats.ReadAsync(CancellationToken.None).ConfigureAwait(false);
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dir, "tessera.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        c.Open();
        var rows = Scalar(c, "SELECT coalesce(sum(ext <> 'orig'), 0) FROM renditions");
        var bytes = Scalar(c, "SELECT coalesce(sum(bytes), 0) FROM renditions");
        var histogram = Scalar(c, "SELECT coalesce(sum(renditions), 0) FROM generation_histogram");
        var timed = Scalar(c, "SELECT count(gen_ms) FROM renditions");
        var exact = Ps.Select(p => Exact(c, timed, p)).ToArray();
        var fromHistogram = new[] { report.Generation.P50Ms, report.Generation.P95Ms, report.Generation.P99Ms };
        return new TotalsCheck(rows, report.Renditions, bytes, report.Bytes, histogram, timed, [.. fromHistogram.Zip(exact)]);
    }

    public string Row(string label) => Measure.Inv(
        $"| {label} | {Rows:N0} | {StatsRenditions:N0} | {Bytes:N0} | {StatsBytes:N0} | {TimedRows:N0} | {HistogramEntries:N0} | {string.Join(" / ", Percentiles.Select(p => Measure.Inv($"{p.Histogram:F1}")))} | {string.Join(" / ", Percentiles.Select(p => Measure.Inv($"{p.Exact:F1}")))} | {(Ok ? "yes" : "NO")} |");

    /// <summary>The p-quantile of gen_ms at the rank a sorted list gives (ceil(p × n)), through the gen_ms index.</summary>
    private static double Exact(SqliteConnection c, long n, double p)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT gen_ms FROM renditions WHERE gen_ms IS NOT NULL ORDER BY gen_ms LIMIT 1 OFFSET $k";
        cmd.Parameters.AddWithValue("$k", Math.Max(0, (long)Math.Ceiling(p * n) - 1));
        return Convert.ToDouble(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
