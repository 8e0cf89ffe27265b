using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Index;
using Tessera.Index.Sqlite;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>SQLite under load: WAL, one connection per operation, BEGIN IMMEDIATE for writes.</summary>
[Collection(Serial.Name)]
public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TwoHundredConcurrentReadersAndWriters_NeverSeeDatabaseLocked()
    {
        var db = Path.Combine(_dir.Path, "tessera.db");
        // Two index instances on one file stand for the server and a CLI warm in another process.
        using var a = SqliteIndex.Open(db, NullLogger.Instance);
        using var b = SqliteIndex.Open(db, NullLogger.Instance);
        // 200 real threads, so the 200 workers truly run at once instead of queueing on a few pool threads.
        ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
        ThreadPool.SetMinThreads(220, minIo);
        // A fixed amount of work (at most 90 s), not a fixed time: the load is the same, the idle tail is gone.
        const long WritesWanted = 1_000, ReadsWanted = 30_000;
        var until = DateTime.UtcNow.AddSeconds(90);
        long reads = 0, writes = 0;
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();

        var workers = Enumerable.Range(0, 200).Select(w => Task.Run(async () =>
        {
            var index = w % 2 == 0 ? a : b;
            var n = 0;
            while (DateTime.UtcNow < until && (Interlocked.Read(ref writes) < WritesWanted || Interlocked.Read(ref reads) < ReadsWanted))
            {
                await Task.Yield(); // let every worker take turns on the pool
                try
                {
                    var key = $"{w:x4}{n++:x60}";
                    if (w % 4 < 2)
                    {
                        await index.Fingerprints.PutFingerprintAsync(new Fingerprint($"/lib/{w}/{n}", n, n, key), default);
                        await index.Renditions.RecordRenditionAsync(new RenditionRecord(key, "webp", n, key, "grid", 1, 1, 1.0), default);
                        await index.Stats.AddCountersAsync(new Dictionary<string, long> { ["hits"] = 1 }, default);
                        Interlocked.Add(ref writes, 3);
                    }
                    else
                    {
                        await index.Fingerprints.GetFingerprintAsync($"/lib/{w - 2}/{n}", default);
                        if (n % 50 == 0)
                        {
                            await index.Stats.SummarizeAsync(default);
                        }

                        Interlocked.Increment(ref reads);
                    }
                }
                catch (IndexException e)
                {
                    errors.Add(e.Message);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        ThreadPool.SetMinThreads(minWorkers, minIo);

        Assert.Empty(errors);
        Assert.True(writes >= WritesWanted && reads >= ReadsWanted, $"{writes} writes, {reads} reads in 90 s: too little load to prove anything");
        Assert.Equal("ok", await a.Maintenance.IntegrityCheckAsync(default));
        var summary = await b.Stats.SummarizeAsync(default);
        Assert.Equal(writes / 3, summary.Counters["hits"]);
    }
}
