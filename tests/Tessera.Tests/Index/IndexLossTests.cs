using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Tessera.Tests.Cli;
using Tessera.Tests.Support;

namespace Tessera.Tests.Index;

/// <summary>Nothing the app registered is lost with the index: a real `tessera serve` is killed with SIGKILL after a
/// bulk registration of 10,000 items with aliases, its tessera.db deleted or its pages damaged, and restarted.</summary>
[Collection(Serial.Name)]
public sealed class IndexLossTests : IDisposable
{
    private const string Key = "index-loss-admin-key-0123456789";
    private const int Items = 10_000;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Kill9_ThenDeletingTheIndex_LosesNoRegistrationAliasOrNegative()
    {
        var (data, library) = await RegisterThenKillAsync();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(Path.Combine(data, "tessera.db" + suffix));
        }

        await AssertEverythingBackAsync(data, library);
    }

    [Fact]
    public async Task Kill9_ThenDamagedPages_AreSetAside_AndNothingIsLost()
    {
        var (data, library) = await RegisterThenKillAsync();
        var db = Path.Combine(data, "tessera.db");
        // Bring the WAL into the main file (as a clean close would) so the damage is not hidden behind WAL frames.
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=false"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            cmd.ExecuteNonQuery();
        }

        Corrupt(db);
        File.WriteAllText(db + ".open-999999", string.Empty); // the killed server's marker, as a crash leaves it
        await AssertEverythingBackAsync(data, library);
        Assert.NotEmpty(Directory.GetFiles(data, "tessera.db.corrupt-*"));
    }

    [Fact]
    public async Task VerifyAndRebuildIndex_OnDamagedPages_SayItAndRepair_WithoutCrashing()
    {
        var (data, _) = await RegisterThenKillAsync();
        var db = Path.Combine(data, "tessera.db");
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=false"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            cmd.ExecuteNonQuery();
        }

        foreach (var marker in Directory.GetFiles(data, "tessera.db.open-*"))
        {
            File.Delete(marker); // as if it had closed cleanly: only verify can find the damage now
        }

        Corrupt(db);
        var verify = await CliRunner.RunProcessAsync("verify", "--data", data);
        Assert.True(verify.ExitCode == 1, verify.Stdout + verify.Stderr);
        Assert.Contains("the index is damaged", verify.Stdout, StringComparison.Ordinal);

        var repair = await CliRunner.RunProcessAsync("verify", "--data", data, "--repair");
        Assert.True(repair.ExitCode == 0, repair.Stdout + repair.Stderr);
        Assert.NotEmpty(Directory.GetFiles(data, "tessera.db.corrupt-*"));

        var rebuild = await CliRunner.RunProcessAsync("rebuild-index", "--data", data);
        Assert.True(rebuild.ExitCode == 0, rebuild.Stdout + rebuild.Stderr);
        var again = await CliRunner.RunProcessAsync("verify", "--data", data);
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
    }

    /// <summary>Overwrites whole pages in the middle of the file, where the items and aliases tables live.</summary>
    private static void Corrupt(string db)
    {
        using var file = new FileStream(db, FileMode.Open, FileAccess.ReadWrite);
        var pages = file.Length / 4096;
        Assert.True(pages > 20, $"the index has only {pages} pages");
        var junk = new byte[4096 * 4];
        new Random(7).NextBytes(junk);
        file.Position = pages / 2 * 4096;
        file.Write(junk);
        file.Flush(flushToDisk: true);
    }

    private async Task<(string Data, string Library)> RegisterThenKillAsync()
    {
        var library = _dir.Sub("lib");
        Images.WriteSolidJpeg(Path.Combine(library, "cover.jpg"), 300, 300);
        await File.WriteAllBytesAsync(Path.Combine(library, "bad.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8]);
        var data = Path.Combine(_dir.Path, "data");
        var (process, client) = await StartServeAsync(data, library);
        using (process)
        using (client)
        {
            var items = Enumerable.Range(0, Items).Select(i => new { id = $"book-{i:D5}", path = "cover.jpg", aliases = new[] { $"isbn-{i:D5}" } });
            using var bulk = await Send(client, HttpMethod.Post, "/api/items/lib", new { items });
            Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
            using var negative = await client.GetAsync(new Uri("/t/lib/grid/bad.jpg", UriKind.Relative));
            Assert.Equal("decode-failed", negative.Headers.GetValues("X-Tessera-Placeholder").Single());
            process.Kill(); // SIGKILL
            await process.WaitForExitAsync();
        }

        return (data, library);
    }

    private static async Task AssertEverythingBackAsync(string data, string library)
    {
        var (process, client) = await StartServeAsync(data, library);
        using (process)
        using (client)
        {
            try
            {
                foreach (var i in new[] { 0, 4999, Items - 1 })
                {
                    using var described = await Send(client, HttpMethod.Get, $"/api/items/lib/isbn-{i:D5}", null);
                    Assert.Equal(HttpStatusCode.OK, described.StatusCode);
                    using var json = JsonDocument.Parse(await described.Content.ReadAsStringAsync());
                    Assert.Equal($"book-{i:D5}", json.RootElement.GetProperty("item").GetString());
                    Assert.Equal("cover.jpg", json.RootElement.GetProperty("roles")[0].GetProperty("path").GetString());
                }

                var count = 0;
                string? after = null;
                do
                {
                    using var page = await Send(client, HttpMethod.Get, "/api/items/lib?limit=1000" + (after is null ? string.Empty : "&after=" + after), null);
                    using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
                    count += json.RootElement.GetProperty("items").GetArrayLength();
                    after = json.RootElement.GetProperty("next").GetString();
                }
                while (after is not null);

                Assert.Equal(Items, count);
                using var negatives = await Send(client, HttpMethod.Get, "/api/negatives", null);
                Assert.Contains("bad.jpg", await negatives.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            finally
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
    }

    private static async Task<(Process, HttpClient)> StartServeAsync(string data, string library)
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliRunner.Dll, "serve", "--data", data, "--library", $"lib={library}", "--urls", $"http://127.0.0.1:{port}", "--api-key", Key })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        for (var i = 0; i < 600 && !process.HasExited; i++)
        {
            try
            {
                using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                return (process, client);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        client.Dispose();
        throw new InvalidOperationException($"tessera serve did not start (exited: {process.HasExited})");
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
