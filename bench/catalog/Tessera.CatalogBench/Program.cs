using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Core.Catalog;
using Tessera.Index.Postgres;
using Tessera.Index.Sqlite;

// The catalog index at scale (issue 11): inserts N scenes with their relations in pages of 1,000, then times browse
// pages and full-text queries, without and with a restricted user. Usage: Tessera.CatalogBench DB_PATH [SCENES] [reuse].
// With "reuse", an existing DB_PATH made by an earlier run is opened (and migrated) and only the queries run.
// DB_PATH postgres:CONNECTION-STRING runs it on a PostgreSQL index instead (an empty schema: its Search Path).
SqliteLibrary.UseSystemLibrary();
var path = args[0];
const string Postgres = "postgres:";
var postgres = path.StartsWith(Postgres, StringComparison.Ordinal);
var sceneCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 250_000;
const string Cat = "stash";
const int Batch = 1000, Queries = 200;
var random = new Random(11);
var words = Enumerable.Range(0, 2000).Select(i => Word(i)).ToArray();
var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

var reuse = args.Length > 2 && args[2] == "reuse";
foreach (var suffix in reuse || postgres ? [] : new[] { "", "-wal", "-shm" })
{
    File.Delete(path + suffix);
}

using var ports = postgres ? PostgresIndex.Open(path[Postgres.Length..], NullLogger.Instance) : SqliteIndex.Open(path, NullLogger.Instance);
var index = ports.Catalog;

CatalogEntity Entity(string type, int id, string title, IReadOnlyList<CatalogRelation> relations, bool scene = false, Random? r = null)
{
    r ??= random;
    return new(type, id.ToString(CultureInfo.InvariantCulture), title, scene ? $"{Pick(r)} {Pick(r)} {Pick(r)} {Pick(r)} {Pick(r)}" : null,
        scene ? $"20{10 + r.Next(15)}-{1 + r.Next(12):00}-{1 + r.Next(28):00}" : null, scene ? r.Next(0, 6) * 20 : null,
        scene ? r.Next(60, 7200) : null, scene ? r.NextInt64(1 << 20, 1L << 32) : null, null, "2025-01-01T00:00:00+01:00", t0, t0,
        relations, [new CatalogImage(scene ? "screenshot" : "image", $"http://stash:9999/{type}/{id}/image?t=1")], $"{{\"id\":\"{id}\",\"title\":\"{title}\"}}");
}

// A scene is the same every time it is made (its own seeded Random), so upserting it again is an unchanged page.
CatalogEntity Scene(int i)
{
    var r = new Random(i);
    // Tag popularity is skewed (a few tags on many scenes), as in real libraries.
    var relations = new List<CatalogRelation> { new(CatalogTypes.Studios, (1 + r.Next(2_000)).ToString(CultureInfo.InvariantCulture)) };
    relations.AddRange(Enumerable.Range(0, r.Next(2, 7)).Select(_ => new CatalogRelation(CatalogTypes.Tags,
        (1 + (int)(5_000 * Math.Pow(r.NextDouble(), 3))).ToString(CultureInfo.InvariantCulture))));
    relations.AddRange(Enumerable.Range(0, r.Next(0, 4)).Select(_ => new CatalogRelation(CatalogTypes.Performers,
        (1 + r.Next(20_000)).ToString(CultureInfo.InvariantCulture))));
    return Entity(CatalogTypes.Scenes, i, $"{Pick(r)} {Pick(r)} {Pick(r)}", relations, scene: true, r: r);
}

string Pick(Random? r = null) => words[(r ?? random).Next(words.Length)];

// Wall time, and the process's CPU time (robust to other load on a shared machine) in the last step.
var cpu = TimeSpan.Zero;
async Task<TimeSpan> InsertAsync(string type, int count, Func<int, CatalogEntity> make)
{
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    for (var start = 1; start <= count; start += Batch)
    {
        var page = Enumerable.Range(start, Math.Min(Batch, count - start + 1)).Select(make).ToList();
        await index.UpsertAsync(Cat, page, t0, default);
    }

    cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
    return watch.Elapsed;
}

var report = new List<string> { $"| step | figure |", "|---|---|" };
if (!reuse)
{
    await WriteAsync();
}

async Task WriteAsync()
{
    var tags = await InsertAsync(CatalogTypes.Tags, 5_000, i => Entity(CatalogTypes.Tags, i, $"{Pick()} {i}", []));
    var studios = await InsertAsync(CatalogTypes.Studios, 2_000, i => Entity(CatalogTypes.Studios, i, $"{Pick()} Studio {i}", []));
    var performers = await InsertAsync(CatalogTypes.Performers, 20_000, i => Entity(CatalogTypes.Performers, i, $"{Pick()} {Pick()}", []));
    report.Add($"| insert 5,000 tags + 2,000 studios + 20,000 performers | {(tags + studios + performers).TotalSeconds:F1} s |");
    var relationCount = 0L;
    var scenes = await InsertAsync(CatalogTypes.Scenes, sceneCount, i =>
    {
        var scene = Scene(i);
        relationCount += scene.Relations.Distinct().Count();
        return scene;
    });
    report.Add($"| insert {sceneCount:N0} scenes + {relationCount:N0} relations (pages of {Batch:N0}) | {scenes.TotalSeconds:F1} s ({sceneCount / scenes.TotalSeconds:N0} scenes/s; CPU {cpu.TotalSeconds:F1} s = {sceneCount / cpu.TotalSeconds:N0} scenes/CPU-s) |");
    var same = await InsertAsync(CatalogTypes.Scenes, 20_000, Scene);
    report.Add($"| upsert 20,000 unchanged scenes again (a full re-sync) | {same.TotalSeconds:F1} s ({20_000 / same.TotalSeconds:N0} scenes/s; {20_000 / cpu.TotalSeconds:N0} scenes/CPU-s) |");
    var again = await InsertAsync(CatalogTypes.Scenes, 10_000, i => Entity(CatalogTypes.Scenes, i, $"{Pick()} {Pick()} {Pick()}", [], scene: true));
    report.Add($"| upsert 10,000 changed scenes (new title, details, all relations dropped) | {again.TotalSeconds:F1} s ({10_000 / again.TotalSeconds:N0} scenes/s; {10_000 / cpu.TotalSeconds:N0} scenes/CPU-s) |");
    Console.Error.WriteLine(string.Join('\n', report));
    report.Add(postgres ? "| index | PostgreSQL |" : $"| index file | {new FileInfo(path).Length / 1048576.0 + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length / 1048576.0 : 0):N0} MB |");

    // The restricted user hides 5 of the most used tags (and so their scenes) and 20 studios.
    var rules = Stopwatch.StartNew();
    await index.PutRulesAsync(Cat, "kid", [new CatalogRule(CatalogTypes.Tags, "exclude", ["1", "2", "3", "4", "5"]),
        new CatalogRule(CatalogTypes.Studios, "exclude", [.. Enumerable.Range(1, 20).Select(i => i.ToString(CultureInfo.InvariantCulture))])], default);
    await index.PutRulesAsync(Cat, "fan", [new CatalogRule(CatalogTypes.Studios, "include", [.. Enumerable.Range(1, 50).Select(i => i.ToString(CultureInfo.InvariantCulture))])], default);
    report.Add($"| put rules of 2 users (new rule sets filled) | {rules.Elapsed.TotalMilliseconds:F0} ms |");
}

// Queries draw from their own sequence, so a run on a reused file asks the same ones as a fresh run.
var ask = new Random(12);
string[] sorts = ["title", "date", "rating", "updated", "id"];
foreach (var user in new string?[] { null, "kid", "fan" })
{
    var who = user ?? "no user";
    await TimeAsync($"browse page (sort title/date/rating/updated/id, page 1–200 of 50), {who}", i =>
        new CatalogQuery(Cat, CatalogTypes.Scenes, 1 + ask.Next(200), 50, sorts[i % sorts.Length], i % 2 == 1, User: user));
    await TimeAsync($"browse page 1 (sort title/date/rating/updated/id), {who}", i =>
        new CatalogQuery(Cat, CatalogTypes.Scenes, 1, 50, sorts[i % sorts.Length], i % 2 == 1, User: user));
    await TimeAsync($"browse page filtered by a tag (page 1–5 of 50), {who}", i =>
        new CatalogQuery(Cat, CatalogTypes.Scenes, 1 + ask.Next(5), 50, "date", true, Tags: [(1 + ask.Next(200)).ToString(CultureInfo.InvariantCulture)], User: user));
    await TimeAsync($"full-text search (1–2 words, last a prefix), {who}", i =>
        new CatalogQuery(Cat, CatalogTypes.Scenes, 1, 50, "title", Text: i % 2 == 0 ? Pick(ask) : $"{Pick(ask)} {Pick(ask)[..3]}", User: user));
}

var stats = Stopwatch.StartNew();
var s = await index.StatsAsync(Cat, null, default);
report.Add($"| stats (counts, top tags/studios/performers, totals), no user | {stats.Elapsed.TotalMilliseconds:F0} ms ({s.Counts[CatalogTypes.Scenes]:N0} scenes) |");
stats.Restart();
await index.StatsAsync(Cat, "kid", default);
report.Add($"| stats, kid (excluding) | {stats.Elapsed.TotalMilliseconds:F0} ms |");
stats.Restart();
await index.StatsAsync(Cat, "fan", default);
report.Add($"| stats, fan (including) | {stats.Elapsed.TotalMilliseconds:F0} ms |");
Console.WriteLine(string.Join('\n', report));

async Task TimeAsync(string what, Func<int, CatalogQuery> query)
{
    for (var i = 0; i < 10; i++)
    {
        await index.BrowseAsync(query(i), default); // warm-up
    }

    var times = new List<double>();
    long counted = 0;
    for (var i = 0; i < Queries; i++)
    {
        var watch = Stopwatch.StartNew();
        var page = await index.BrowseAsync(query(i), default);
        times.Add(watch.Elapsed.TotalMilliseconds);
        counted += page.Count;
    }

    times.Sort();
    report.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {what} | p50 {times[Queries / 2]:F1} ms, p99 {times[(int)(Queries * 0.99)]:F1} ms (mean count {counted / Queries:N0}) |"));
    Console.Error.WriteLine(report[^1]);
}

static string Word(int i)
{
    const string Letters = "abcdefghijklmnopqrstuvwxyz";
    var r = new Random(i * 7919);
    var word = new string([.. Enumerable.Range(0, 4 + r.Next(5)).Select(_ => Letters[r.Next(Letters.Length)])]);
    return i % 10 == 0 ? word.Replace('e', 'é') : word; // some accents
}
