using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Tests.Cli;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>`tessera backup` while a real `tessera serve` keeps registering items, `tessera restore` into a fresh data
/// folder and over a running server, and journal compaction keeping every registration, alias and negative entry.</summary>
[Collection(Serial.Name)]
public sealed class BackupRestoreTests : IDisposable
{
    private const string Key = "backup-restore-admin-key-0123456789";
    private const int Batch = 1000;
    private readonly TempDir _dir = new();
    private readonly string _library;

    public BackupRestoreTests()
    {
        _library = _dir.Sub("lib");
        Images.WriteSolidJpeg(Path.Combine(_library, "cover.jpg"), 200, 200);
        File.WriteAllBytes(Path.Combine(_library, "bad.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8]);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Backup_WhileServeKeepsRegistering_RestoresEveryItemUpToTheBackup_IntoAFreshFolder()
    {
        var data = Path.Combine(_dir.Path, "data");
        var backup = Path.Combine(_dir.Path, "backup.db");
        int before;
        await using (var serve = await StartAsync(data))
        {
            using var stop = new CancellationTokenSource();
            var done = 0;
            var writer = Task.Run(async () =>
            {
                for (var b = 0; !stop.IsCancellationRequested; b++)
                {
                    using var response = await RegisterAsync(serve.Client, b);
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Volatile.Write(ref done, b + 1);
                }
            });
            while (Volatile.Read(ref done) < 5)
            {
                Assert.False(writer.IsCompleted, writer.Exception?.ToString());
                await Task.Delay(50);
            }

            before = Volatile.Read(ref done); // every batch answered before the backup started is in it
            var result = await CliRunner.RunAsync("backup", "--data", data, "--to", backup);
            Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
            await Task.Delay(300);
            await stop.CancelAsync();
            await writer;
            Assert.True(Volatile.Read(ref done) > before, "the server's bulk registrations did not go on while the backup ran");
        }

        Assert.True(File.Exists(backup + ".journal"));
        var fresh = Path.Combine(_dir.Path, "fresh");
        var restore = await CliRunner.RunAsync("restore", "--data", fresh, "--from", backup);
        Assert.True(restore.ExitCode == 0, restore.Stdout + restore.Stderr);

        await using var again = await StartAsync(fresh);
        var ids = await ListIdsAsync(again.Client);
        for (var b = 0; b < before; b++)
        {
            foreach (var i in new[] { 0, Batch - 1 })
            {
                Assert.Contains($"b{b:D3}-{i:D4}", ids);
            }
        }

        Assert.True(ids.Count >= before * Batch, $"{ids.Count} items restored, {before * Batch} registered before the backup");
        await AssertAliasAsync(again.Client, 0, 7);
    }

    [Fact]
    public async Task Restore_WhileAServerHasTheIndexOpen_IsRefused_UnlessForced_OrAfterItStops()
    {
        var data = Path.Combine(_dir.Path, "data");
        var backup = Path.Combine(_dir.Path, "backup.db");
        await using (var serve = await StartAsync(data))
        {
            using (var response = await RegisterAsync(serve.Client, 0))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var made = await CliRunner.RunAsync("backup", "--data", data, "--to", backup);
            Assert.True(made.ExitCode == 0, made.Stdout + made.Stderr);

            var refused = await CliRunner.RunAsync("restore", "--data", data, "--from", backup);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("is open by process", refused.Stderr, StringComparison.Ordinal);
            Assert.Single(refused.Stderr.Trim().Split('\n'));

            var forced = await CliRunner.RunAsync("restore", "--data", data, "--from", backup, "--force");
            Assert.True(forced.ExitCode == 0, forced.Stdout + forced.Stderr);
            Assert.Contains("restart it now", forced.Stderr, StringComparison.Ordinal);
        }

        var stopped = await CliRunner.RunAsync("restore", "--data", data, "--from", backup);
        Assert.True(stopped.ExitCode == 0, stopped.Stdout + stopped.Stderr);
        Assert.NotEmpty(Directory.GetFiles(data, "tessera.db.before-restore-*"));
        await using var again = await StartAsync(data);
        await AssertAliasAsync(again.Client, 0, 42);
    }

    [Fact]
    public async Task Restore_OfSomethingThatIsNoBackup_IsOneLineAndExit2_AndLeavesTheIndexAlone()
    {
        var data = Path.Combine(_dir.Path, "data");
        var junk = Path.Combine(_dir.Path, "junk.db");
        await File.WriteAllTextAsync(junk, "not an index at all, just text that is long enough to look like a file");
        var result = await CliRunner.RunAsync("restore", "--data", data, "--from", junk);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a usable Tessera index backup", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "tessera.db")));
    }

    [Fact]
    public async Task CompactedJournal_ReplayedIntoANewIndex_GivesTheSameRegistrationsAliasesAndNegatives()
    {
        var data = Path.Combine(_dir.Path, "data");
        var config = Path.Combine(_dir.Path, "tessera.json");
        await File.WriteAllTextAsync(config, TestJson.Serialize(new { Data = data, Journal = new { CompactAbove = "64KB" } }));
        await using (var serve = await StartAsync(data))
        {
            for (var round = 0; round < 3; round++)
            {
                // The same items registered three times over: the journal holds every change, the index the last.
                for (var b = 0; b < 2; b++)
                {
                    using var response = await RegisterAsync(serve.Client, b, $"round-{round}");
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }

            using (var purge = await Send(serve.Client, HttpMethod.Delete, "/api/items/lib/b001-0005", null))
            {
                Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
            }

            using var negative = await serve.Client.GetAsync(new Uri("/t/lib/grid/bad.jpg", UriKind.Relative));
            Assert.Equal("decode-failed", negative.Headers.GetValues("X-Tessera-Placeholder").Single());
        }

        var journal = Path.Combine(data, "journal", "app.jsonl");
        var grown = new FileInfo(journal).Length;
        var compact = await CliRunner.RunAsync("rebuild-index", "--config", config);
        Assert.True(compact.ExitCode == 0, compact.Stdout + compact.Stderr);
        var compacted = new FileInfo(journal).Length;
        Assert.True(compacted < grown * 2 / 3, $"the journal went from {grown} to {compacted} bytes");
        var stamp = File.GetLastWriteTimeUtc(journal);
        var again0 = await CliRunner.RunAsync("rebuild-index", "--config", config);
        Assert.True(again0.ExitCode == 0, again0.Stderr);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(journal)); // not rewritten again until it has grown past twice its compacted size

        foreach (var file in Directory.GetFiles(data, "tessera.db*"))
        {
            File.Delete(file);
        }

        await using var again = await StartAsync(data);
        var ids = await ListIdsAsync(again.Client);
        Assert.Equal(2 * Batch - 1, ids.Count);
        Assert.DoesNotContain("b001-0005", ids);
        await AssertAliasAsync(again.Client, 1, 999, "round-2");
        using var negatives = await Send(again.Client, HttpMethod.Get, "/api/negatives", null);
        Assert.Contains("bad.jpg", await negatives.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<ServeProcess> StartAsync(string data) =>
        ServeProcess.StartAsync(new Dictionary<string, string>(), "--data", data, "--library", $"lib={_library}", "--api-key", Key);

    private static Task<HttpResponseMessage> RegisterAsync(HttpClient client, int batch, string source = "first")
    {
        var items = Enumerable.Range(0, Batch).Select(i => new
        {
            id = $"b{batch:D3}-{i:D4}",
            sources = new[] { $"https://covers.example.com/{source}/{batch}/{i}.jpg" },
            aliases = new[] { $"isbn-{batch:D3}-{i:D4}" },
        });
        return Send(client, HttpMethod.Post, "/api/items/lib", new { items });
    }

    private static async Task AssertAliasAsync(HttpClient client, int batch, int i, string? source = null)
    {
        using var described = await Send(client, HttpMethod.Get, $"/api/items/lib/isbn-{batch:D3}-{i:D4}", null);
        var body = await described.Content.ReadAsStringAsync();
        Assert.True(described.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal($"b{batch:D3}-{i:D4}", json.RootElement.GetProperty("item").GetString());
        if (source is not null)
        {
            Assert.Contains($"/{source}/", body, StringComparison.Ordinal);
        }
    }

    private static async Task<HashSet<string>> ListIdsAsync(HttpClient client)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        do
        {
            using var page = await Send(client, HttpMethod.Get, "/api/items/lib?limit=1000" + (after is null ? string.Empty : "&after=" + after), null);
            var body = await page.Content.ReadAsStringAsync();
            Assert.True(page.StatusCode == HttpStatusCode.OK, body);
            using var json = JsonDocument.Parse(body);
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
            {
                ids.Add(item.GetProperty("id").GetString()!);
            }

            after = json.RootElement.GetProperty("next").GetString();
        }
        while (after is not null);

        return ids;
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = TestJson.Content(body);
        }

        request.Headers.Add("X-Api-Key", Key);
        return client.SendAsync(request);
    }
}
