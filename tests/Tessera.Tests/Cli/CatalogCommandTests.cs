using System.Text.Json;
using Tessera.Core.Catalog;
using Tessera.Tests.Http;
using Tessera.Tests.Http.Jobs;
using Tessera.Tests.Support;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Cli;

/// <summary>tessera catalog sync|status|browse in-process against the loopback Stash stand-in: a full then a smart sync
/// with their per-type results, status and browse output, the --catalog flags over the settings file, the key never
/// printed, an unreachable upstream, and the read-only commands leaving every byte of the data folder as it was.</summary>
public sealed class CatalogCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => Path.Combine(_dir.Path, "data");

    private string[] Args(StashStandIn stash, params string[] args) =>
        [.. args, "--data", Data, "--catalog", $"stash=stash:{stash.BaseAddress}", "--catalog-api-key", $"stash={stash.ApiKey}"];

    [Fact]
    public async Task SyncFull_ThenSmart_PrintsWhatEachTypeDid()
    {
        await using var stash = await StashStandIn.StartAsync();
        var full = await CliRunner.RunAsync(Args(stash, "catalog", "sync", "stash", "--full"));
        Assert.True(full.ExitCode == 0, full.Stdout + full.Stderr);
        Assert.Matches(@"scenes\s+full\s+listed 40\s+live 40\s+40 stored, 0 deleted", full.Stdout);
        Assert.Matches(@"performers\s+full\s+listed 12\s+live 12\s+12 stored", full.Stdout);
        Assert.Contains("catalog stash: full sync: 6 types synced, 0 failed", full.Stdout, StringComparison.Ordinal);

        var scene = stash.Data.All("scenes").First().Id;
        stash.Update("scenes", scene, e => e.Fields["title"] = "Renamed scene");
        Assert.True(stash.Delete("performers", stash.Data.All("performers").Last().Id));
        var smart = await CliRunner.RunAsync(Args(stash, "catalog", "sync", "stash"));
        Assert.True(smart.ExitCode == 0, smart.Stdout + smart.Stderr);
        Assert.Matches(@"tags\s+smart\s+listed 10\s+live 10\s+skipped: no changes", smart.Stdout);
        Assert.Matches(@"scenes\s+incremental\s+listed \d+\s+live 40\s+\d+ changed since", smart.Stdout);
        Assert.Matches(@"performers\s+full\s+listed 11\s+live 11\s+11 stored, 1 deleted", smart.Stdout);

        var browse = await CliRunner.RunAsync(Args(stash, "catalog", "browse", "stash", "scenes", "--q", "renamed", "--json"));
        using var page = JsonDocument.Parse(browse.Stdout);
        Assert.Equal(1, page.RootElement.GetProperty("count").GetInt64());
        Assert.Equal(scene.ToString(System.Globalization.CultureInfo.InvariantCulture), page.RootElement.GetProperty("items")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task StatusAndBrowse_ShowTheSyncedCatalog_AndChangeNoByteOfTheDataFolder()
    {
        await using var stash = await StashStandIn.StartAsync();
        Assert.Equal(0, (await CliRunner.RunAsync(Args(stash, "catalog", "sync", "stash"))).ExitCode);
        var before = ReadOnlyCommandsTests.Snapshot(Data);

        var status = await CliRunner.RunAsync(Args(stash, "catalog", "status", "stash"));
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains($"catalog stash: stash at {stash.BaseAddress}", status.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"scenes\s+40\s+2024-03-01 \d\d:\d\d:\d\dZ\s+20\d\d-.*\s+40 stored, 0 deleted", status.Stdout);

        var json = await CliRunner.RunAsync(Args(stash, "catalog", "status", "stash", "--json"));
        using (var document = JsonDocument.Parse(json.Stdout))
        {
            var scenes = document.RootElement.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "scenes");
            Assert.Equal(40, scenes.GetProperty("count").GetInt64());
            Assert.NotNull(scenes.GetProperty("lastFullSync").GetString());
            Assert.StartsWith("40 stored", scenes.GetProperty("lastResult").GetString(), StringComparison.Ordinal);
        }

        var second = await CliRunner.RunAsync(Args(stash, "catalog", "browse", "stash", "scenes", "--page", "2", "--per-page", "5", "--sort", "id"));
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("page 2 of 8 (40 scenes)", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(5, second.Stdout.Split('\n').Count(l => l.Contains("│ Scene ", StringComparison.Ordinal) || l.Contains("│ Café ", StringComparison.Ordinal)));

        var accent = await CliRunner.RunAsync(Args(stash, "catalog", "browse", "stash", "scenes", "--q", "cafe", "--json"));
        using (var page = JsonDocument.Parse(accent.Stdout))
        {
            var expected = stash.Data.All("scenes").Count(s => ((string)s.Fields["title"]!).StartsWith("Café", StringComparison.Ordinal));
            Assert.True(expected > 0);
            Assert.Equal(expected, page.RootElement.GetProperty("count").GetInt64());
        }

        // Two tags (AND) and a studio, as the API combines them.
        var scene = stash.Data.All("scenes").First();
        var (tag1, tag2, studio) = (scene.Related("tags")[0], scene.Related("tags")[1], scene.Related("studio")[0]);
        var filtered = await CliRunner.RunAsync(Args(stash, "catalog", "browse", "stash", "scenes", "--tag", $"{tag1}", "--tag", $"{tag2}", "--studio", $"{studio}", "--json"));
        using (var page = JsonDocument.Parse(filtered.Stdout))
        {
            var expected = stash.Data.All("scenes").Count(s => s.Related("tags").Contains(tag1) && s.Related("tags").Contains(tag2) && s.Related("studio").Contains(studio));
            Assert.Equal(expected, page.RootElement.GetProperty("count").GetInt64());
            Assert.Contains(page.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == $"{scene.Id}");
        }

        Assert.Equal(before, ReadOnlyCommandsTests.Snapshot(Data));
    }

    [Fact]
    public async Task BadTypeSortAndFlags_Exit2_WithOneLineNamingWhatIsAllowed()
    {
        await using var stash = await StashStandIn.StartAsync();
        var cases = new (string[] Args, string Expected)[]
        {
            (Args(stash, "catalog", "browse", "stash", "movies"), "unknown type 'movies'; allowed: tags, studios, performers, groups, galleries, scenes"),
            (Args(stash, "catalog", "browse", "stash", "scenes", "--sort", "colour"), "sort 'colour' is not one of title, date, rating"),
            (Args(stash, "catalog", "status", "other"), "unknown catalog 'other'; configured: stash"),
            (["catalog", "status", "s", "--data", Data, "--catalog", "s=jellyfin:http://x"], "--catalog: 's=jellyfin:http://x': 'jellyfin' is not a known catalog kind (known: stash)"),
            (["catalog", "status", "s", "--data", Data, "--catalog", "s=stash:ftp://x"], "--catalog: 's=stash:ftp://x': 'ftp://x' is not an http(s) URL"),
            (["catalog", "status", "s", "--data", Data, "--catalog-api-key", "s=TOPSECRET"], "--catalog-api-key: a key for catalog 's', which is not defined"),
            (["catalog", "status", "s", "--data", Data, "--catalog-api-key", "TOPSECRET"], "--catalog-api-key: expected NAME=KEY"),
            (["serve", "--data", Data, "--catalog-api-key", "s=TOPSECRET"], "--catalog-api-key: a key for catalog 's', which is not defined"),
        };
        foreach (var (args, expected) in cases)
        {
            var r = await CliRunner.RunAsync(args);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', args)}: exit {r.ExitCode}\n{r.Stdout}{r.Stderr}");
            Assert.Single(r.Stderr.Trim().Split('\n'));
            Assert.StartsWith($"tessera: {expected}", r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("TOPSECRET", r.Stdout + r.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Flags_OverrideTheSettingsFile_AndTheKeyIsNeverPrinted()
    {
        await using var stash = await StashStandIn.StartAsync();
        Directory.CreateDirectory(Data);
        // The file points at nothing, with a wrong key: the flags must win, each of Url and ApiKey.
        await File.WriteAllTextAsync(Path.Combine(Data, "tessera.json"),
            """{"Catalogs": {"stash": {"Kind": "stash", "Url": "http://127.0.0.1:1/", "ApiKey": "file-key-WRONG"}}}""");
        var outputs = new List<string>();

        var wrongKey = await CliRunner.RunAsync("catalog", "sync", "stash", "--data", Data, "--catalog", $"stash=stash:{stash.BaseAddress}");
        outputs.Add(wrongKey.Stdout + wrongKey.Stderr);
        Assert.True(wrongKey.ExitCode == 1, wrongKey.Stdout + wrongKey.Stderr);
        Assert.Contains("check the catalog's API key", wrongKey.Stderr, StringComparison.Ordinal); // the flag's URL, the file's key

        foreach (var args in new[]
                 {
                     Args(stash, "catalog", "sync", "stash", "--full"), Args(stash, "catalog", "status", "stash"), Args(stash, "catalog", "status", "stash", "--json"),
                     Args(stash, "catalog", "browse", "stash", "performers"), Args(stash, "catalog", "browse", "stash", "scenes", "--json"),
                     Args(stash, "catalog", "browse", "stash", "scenes", "--per-page", "501"), Args(stash, "catalog", "sync", "nope"),
                 })
        {
            var r = await CliRunner.RunAsync(args);
            outputs.Add(r.Stdout + r.Stderr);
            if (args[1] == "sync" && args[2] == "stash")
            {
                Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
                Assert.Matches(@"scenes\s+full\s+listed 40\s+live 40", r.Stdout);
            }
        }

        Assert.Contains(outputs, o => o.Contains("perPage must be a whole number from 1 to 500", StringComparison.Ordinal));
        foreach (var output in outputs)
        {
            Assert.DoesNotContain(stash.ApiKey, output, StringComparison.Ordinal);
            Assert.DoesNotContain("file-key-WRONG", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnUnreachableUpstream_ExitsNonZero_WithOneClearLine_AndStatusSaysWhy()
    {
        var down = new Uri("http://127.0.0.1:1/");
        string[] Down(params string[] args) => [.. args, "--data", Data, "--catalog", $"stash=stash:{down}", "--catalog-api-key", "stash=unused-KEY-42"];
        var r = await CliRunner.RunAsync(Down("catalog", "sync", "stash"));
        Assert.True(r.ExitCode == 1, r.Stdout + r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.StartsWith("tessera: catalog 'stash': 6 of 6 types failed; tags: Stash could not be reached", r.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"scenes\s+failed: Stash could not be reached", r.Stdout);
        Assert.Contains("catalog stash: smart sync: 0 types synced, 6 failed", r.Stdout, StringComparison.Ordinal);

        var status = await CliRunner.RunAsync(Down("catalog", "status", "stash", "--json"));
        using var document = JsonDocument.Parse(status.Stdout);
        Assert.All(document.RootElement.GetProperty("types").EnumerateArray(), t =>
        {
            Assert.Equal(0, t.GetProperty("count").GetInt64());
            Assert.StartsWith("failed: ", t.GetProperty("lastResult").GetString(), StringComparison.Ordinal);
        });
        Assert.DoesNotContain("unused-KEY-42", r.Stdout + r.Stderr + status.Stdout + status.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEnvironment_DefinesACatalogByShorthand_AndFlagsOverrideIt()
    {
        var environment = new Dictionary<string, string> { ["TESSERA__Catalogs__env"] = "stash:http://127.0.0.1:1/" };
        var fromEnvironment = await CliRunner.RunWithEnvironmentAsync(environment, "catalog", "status", "env", "--data", Data);
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.Stderr);
        Assert.Contains("catalog env: stash at http://127.0.0.1:1/", fromEnvironment.Stdout, StringComparison.Ordinal);

        environment["TESSERA__Catalogs__env__ApiKey"] = "env-KEY-77";
        var overridden = await CliRunner.RunWithEnvironmentAsync(environment, "catalog", "status", "env", "--data", Data, "--catalog", "env=stash:http://127.0.0.1:2/");
        Assert.True(overridden.ExitCode == 0, overridden.Stderr);
        Assert.Contains("catalog env: stash at http://127.0.0.1:2/", overridden.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("env-KEY-77", overridden.Stdout + overridden.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncWithServer_AsksTheRunningServer_AndFollowsTheJobToTheEnd()
    {
        await using var stash = await StashStandIn.StartAsync();
        await using var host = await TesseraHost.StartAsync(_ => { }, o =>
        {
            JobApi.Configure(o);
            o.Catalogs["stash"] = new CatalogOptions { Name = "stash", Url = stash.BaseAddress, ApiKey = stash.ApiKey, PollInterval = TimeSpan.FromMinutes(120) };
        });
        string[] Remote(params string[] args) => [.. args, "--server", host.BaseAddress.AbsoluteUri, "--api-key", JobApi.Key];

        var r = await CliRunner.RunAsync(Remote("catalog", "sync", "stash", "--full"));
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        // The server's own start-up sync may run beside it and write the type's last result after the full sync's.
        Assert.Matches(@"scenes\s+live 40\s+(40 stored, 0 deleted|skipped: no changes \(40 live\))", r.Stdout);
        Assert.Matches(@"catalog stash: job \d+ completed: 6/6", r.Stdout);
        Assert.DoesNotContain(stash.ApiKey, r.Stdout + r.Stderr, StringComparison.Ordinal);

        var noKey = await CliRunner.RunAsync("catalog", "sync", "stash", "--server", host.BaseAddress.AbsoluteUri);
        Assert.True(noKey.ExitCode == 1, noKey.Stdout + noKey.Stderr);
        Assert.Contains("(HTTP 401)", noKey.Stderr, StringComparison.Ordinal);

        var unknown = await CliRunner.RunAsync(Remote("catalog", "sync", "other"));
        Assert.True(unknown.ExitCode == 1, unknown.Stdout + unknown.Stderr);
        Assert.StartsWith("tessera: unknown catalog 'other' (HTTP 404)", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithCatalogFlagsOnly_SyncsIt_AndLogsNoKey()
    {
        await using var stash = await StashStandIn.StartAsync();
        const string admin = "admin-key-for-the-test-0123";
        await using var serve = await ServeProcess.StartAsync(new Dictionary<string, string>(),
            "--data", Data, "--api-key", admin, "--catalog", $"stash=stash:{stash.BaseAddress}", "--catalog-api-key", $"stash={stash.ApiKey}");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        long count = 0;
        while (count != 40)
        {
            Assert.True(DateTime.UtcNow < deadline, "serve did not sync its --catalog within 2 minutes: " + serve.Output);
            await Task.Delay(200);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/catalog/stash/scenes?perPage=1", UriKind.Relative));
            request.Headers.Add("X-Api-Key", admin);
            using var response = await serve.Client.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            count = page.RootElement.GetProperty("count").GetInt64();
        }

        Assert.Equal(0, await serve.StopAsync());
        Assert.DoesNotContain(stash.ApiKey, serve.Output, StringComparison.Ordinal);
    }
}
