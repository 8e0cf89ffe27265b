using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Jobs;
using Tessera.Index.Sqlite;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>Work units claimed by workers of two index instances on one file (the server and a CLI warm in another
/// process, each with its own connections and in-process write lock): BEGIN IMMEDIATE makes every claim atomic.</summary>
public sealed class JobClaimConcurrencyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task WorkersOfTwoIndexInstances_ClaimEveryUnitExactlyOnce()
    {
        var db = Path.Combine(_dir.Path, "tessera.db");
        using var a = SqliteIndex.Open(db, NullLogger.Instance);
        using var b = SqliteIndex.Open(db, NullLogger.Instance);
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var lease = TimeSpan.FromHours(1); // nothing expires: a unit claimed twice would be a broken claim
        const int Units = 120;
        var (job, _) = await a.Jobs.CreateJobAsync(new NewJob("warm", "library=x", "{}", JobTrigger.Manual, 0, null, now), default);
        var discovery = (await b.Jobs.ClaimJobAsync("discovery", now, lease, default))!;
        Assert.True(await b.Jobs.AddUnitsAsync(job.Id, "discovery", discovery.Version,
            [.. Enumerable.Range(0, Units).Select(i => new NewUnit($"[{i}]", 2))], null, now, default));

        var claims = new ConcurrentBag<long>();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var jobs = w % 2 == 0 ? a.Jobs : b.Jobs;
            // Each worker holds a few units at once, so claims always meet units that are leased but not yet done.
            var held = new List<UnitLease>();
            do
            {
                held.Clear();
                while (held.Count < 3 && await jobs.ClaimUnitAsync($"worker-{w}", now, lease, int.MaxValue, default) is { } unit)
                {
                    held.Add(unit);
                    claims.Add(unit.UnitId);
                }

                foreach (var unit in held)
                {
                    Assert.True(await jobs.CompleteUnitAsync(unit.UnitId, unit.Owner, unit.Version, new JobCounts(2, 2, 0, 0, 1), [], 10, now, default));
                }
            }
            while (held.Count > 0);
        })).ToList();
        await Task.WhenAll(workers);

        Assert.Equal(Units, claims.Count);
        Assert.Equal(Units, claims.Distinct().Count());
        var done = (await a.Jobs.GetJobAsync(job.Id, default))!;
        Assert.Equal((new JobCounts(2 * Units, 2 * Units, 0, 0, Units), 0), (done.Counts, done.UnitsOpen));
    }
}
