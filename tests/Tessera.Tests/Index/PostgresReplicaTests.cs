using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tessera.Core.Index;
using Tessera.Core.Jobs;
using Tessera.Index.Postgres;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>Two index instances on one PostgreSQL schema, each with its own data source (two replicas): they migrate
/// it once, never claim the same work unit, and take over a unit whose lease expired.</summary>
public sealed class PostgresReplicaTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PostgresSchema _schema = new();

    public void Dispose() => _schema.Dispose();

    [Fact]
    public async Task ReplicasStartingTogether_MigrateTheSchemaOnce()
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresIndex.Open(_schema.ConnectionString, NullLogger.Instance))));
        try
        {
            Assert.Single(opened, o => o.Maintenance.CreatedNew); // the others waited on the lock, then found it migrated
            using var connection = new NpgsqlConnection(_schema.ConnectionString);
            connection.Open();
            using var cmd = new NpgsqlCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version", connection);
            Assert.Equal("1,2,3,4,5", cmd.ExecuteScalar());
        }
        finally
        {
            foreach (var index in opened)
            {
                index.Dispose();
            }
        }
    }

    [Fact]
    public async Task WorkersOfTwoReplicas_ClaimEveryUnitExactlyOnce()
    {
        using var a = PostgresIndex.Open(_schema.ConnectionString, NullLogger.Instance);
        using var b = PostgresIndex.Open(_schema.ConnectionString, NullLogger.Instance);
        var lease = TimeSpan.FromHours(1); // nothing expires: a unit claimed twice would be a broken claim
        const int Units = 120;
        var (job, _) = await a.Jobs.CreateJobAsync(new NewJob("warm", "library=x", "{}", JobTrigger.Manual, 0, null, Now), default);
        var discovery = (await b.Jobs.ClaimJobAsync("discovery", Now, lease, default))!;
        Assert.True(await b.Jobs.AddUnitsAsync(job.Id, "discovery", discovery.Version,
            [.. Enumerable.Range(0, Units).Select(i => new NewUnit($"[{i}]", 2))], null, Now, default));

        var claims = new ConcurrentBag<long>();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var jobs = w % 2 == 0 ? a.Jobs : b.Jobs;
            // Each worker holds a few units at once, so claims always meet units that are leased but not yet done.
            var held = new List<UnitLease>();
            do
            {
                held.Clear();
                while (held.Count < 3 && await jobs.ClaimUnitAsync($"worker-{w}", Now, lease, int.MaxValue, default) is { } unit)
                {
                    held.Add(unit);
                    claims.Add(unit.UnitId);
                }

                foreach (var unit in held)
                {
                    Assert.True(await jobs.CompleteUnitAsync(unit.UnitId, unit.Owner, unit.Version, new JobCounts(2, 2, 0, 0, 1),
                        [new JobFailure(job.Id, unit.Items, "grid", "decode-failed", "x", Now)], 50, Now, default));
                }
            }
            while (held.Count > 0);
        })).ToList();
        await Task.WhenAll(workers);

        Assert.Equal(Units, claims.Count);
        Assert.Equal(Units, claims.Distinct().Count());
        var done = (await a.Jobs.GetJobAsync(job.Id, default))!;
        Assert.Equal((new JobCounts(2 * Units, 2 * Units, 0, 0, Units), 0), (done.Counts, done.UnitsOpen));
        Assert.Equal(50, (await b.Jobs.ListFailuresAsync(job.Id, 0, 1000, default)).Count); // capped, numbered without a clash
    }

    [Fact]
    public async Task AnExpiredLease_IsTakenOverByTheOtherReplica_AndTheDeadOwnersWritesAreRejected()
    {
        using var a = PostgresIndex.Open(_schema.ConnectionString, NullLogger.Instance);
        using var b = PostgresIndex.Open(_schema.ConnectionString, NullLogger.Instance);
        var lease = TimeSpan.FromMinutes(1);
        var (job, _) = await a.Jobs.CreateJobAsync(new NewJob("warm", "library=x", "{}", JobTrigger.Manual, 0, null, Now), default);
        var discovery = (await a.Jobs.ClaimJobAsync("a", Now, lease, default))!;
        Assert.True(await a.Jobs.AddUnitsAsync(job.Id, "a", discovery.Version, [new NewUnit("[1]", 1)], null, Now, default));
        var dead = (await a.Jobs.ClaimUnitAsync("a", Now, lease, 10, default))!;

        Assert.Null(await b.Jobs.ClaimUnitAsync("b", Now + TimeSpan.FromSeconds(59), lease, 10, default)); // still leased
        var taken = (await b.Jobs.ClaimUnitAsync("b", Now + lease, lease, 10, default))!;
        Assert.Equal((dead.UnitId, "b", 2), (taken.UnitId, taken.Owner, taken.Attempts));

        Assert.False(await a.Jobs.RenewUnitAsync(dead.UnitId, "a", dead.Version, Now + lease + lease, default));
        Assert.False(await a.Jobs.CompleteUnitAsync(dead.UnitId, "a", dead.Version, new JobCounts(1, 1, 0, 0, 0), [], 10, Now + lease, default));
        Assert.True(await b.Jobs.CompleteUnitAsync(taken.UnitId, "b", taken.Version, new JobCounts(1, 1, 0, 0, 0), [], 10, Now + lease, default));
        Assert.Equal(new JobCounts(1, 1, 0, 0, 0), (await a.Jobs.GetJobAsync(job.Id, default))!.Counts);
    }

    [Fact]
    public async Task TwoReplicasCreatingTheSameJob_MakeOne()
    {
        using var a = PostgresIndex.Open(_schema.ConnectionString, NullLogger.Instance);
        using var b = PostgresIndex.Open(_schema.ConnectionString, NullLogger.Instance);
        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).Jobs.CreateJobAsync(new NewJob("warm", "library=x", "{}", JobTrigger.Schedule, 0, null, Now), default))));
        Assert.Single(created, c => c.Created);
        Assert.Single(created.Select(c => c.Job.Id).Distinct());
    }
}
