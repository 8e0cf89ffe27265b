using System.Globalization;
using System.Text.Json;
using Npgsql;
using Tessera.Tests.Support;

namespace Tessera.Tests.Replicas;

/// <summary>Real `tessera serve` replicas sharing one PostgreSQL schema (a fresh one) and one S3 bucket (a fresh one on
/// s3rver), each with its own data folder, all serving one library folder as <c>lib</c>. Nothing runs on its own (no
/// start-up or scheduled warm, no watcher, no miss or API limit); <paramref name="settings"/> adds <c>TESSERA__…</c> settings.
/// Every replica's client sends the admin key. Disposing kills what still runs and drops the schema.</summary>
internal sealed class ReplicaFleet : IAsyncDisposable
{
    public const string ApiKey = "replica-fleet-admin-key-0123456789";

    private readonly PostgresSchema _schema;
    private readonly List<ServeProcess> _replicas;

    private ReplicaFleet(PostgresSchema schema, List<ServeProcess> replicas)
    {
        _schema = schema;
        _replicas = replicas;
    }

    public IReadOnlyList<ServeProcess> Replicas => _replicas;

    public ServeProcess this[int replica] => _replicas[replica];

    /// <summary>The PostgreSQL schema the replicas share (for asserting on the index itself).</summary>
    public string Schema => _schema.Name;

    public static async Task<ReplicaFleet> StartAsync(string root, string library, int replicas, IReadOnlyDictionary<string, string>? settings = null)
    {
        var schema = new PostgresSchema();
        var environment = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = S3StandIn.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = S3StandIn.SecretKey,
            ["AWS_REGION"] = "us-east-1",
            ["TESSERA__Jobs__WarmEvery"] = "off",
            ["TESSERA__Jobs__WatchLibraries"] = "false",
            ["TESSERA__Limits__MissesPerMinute"] = "0",
            // The tests watch the replicas through the API (stats every 20 ms while waiting for a render): a slow start on
            // a loaded machine once took past the default 600 calls and got 429 from /api/stats (clean-clone CI).
            ["TESSERA__Limits__ApiPerMinute"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment["TESSERA__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var store = S3StandIn.Location(S3StandIn.NewBucket());
        var starting = Enumerable.Range(0, replicas).Select(i => ServeProcess.StartAsync(environment,
            "--data", Path.Combine(root, $"replica-{i}"), "--library", $"lib={library}", "--index", "postgres:" + schema.ConnectionString,
            "--store", store, "--warm-at-start", "off", "--api-key", ApiKey)).ToList();
        var fleet = new ReplicaFleet(schema, []);
        try
        {
            fleet._replicas.AddRange(await Task.WhenAll(starting));
            return fleet;
        }
        catch
        {
            // One did not start: the others are stopped, not left running past the test.
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                fleet._replicas.Add(await started);
            }

            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>The renditions a replica generated itself (<c>generated</c> of its <c>/api/stats</c>).</summary>
    public async Task<long> GeneratedAsync(int replica)
    {
        using var stats = JsonDocument.Parse(await _replicas[replica].Client.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));
        return stats.RootElement.GetProperty("generated").GetInt64();
    }

    /// <summary>Generations fleet-wide: the sum over the replicas still running.</summary>
    public async Task<long> GeneratedAsync() =>
        (await Task.WhenAll(Enumerable.Range(0, _replicas.Count).Where(i => !_replicas[i].HasExited).Select(GeneratedAsync))).Sum();

    /// <summary>One number from the shared index, e.g. <c>SELECT count(*) FROM {Schema}.renditions</c>.</summary>
    public static long Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(PostgresSchema.ServerConnectionString());
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>What every replica wrote: for a failed assertion's message.</summary>
    public string Output => string.Join("\n", _replicas.Select((r, i) => $"--- replica {i} ---\n{r.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        _schema.Dispose();
    }
}
