using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Core.Catalog;
using Tessera.Tests.Http.Jobs;
using Tessera.Tests.Support;
using Tessera.Tests.Support.StashStandIn;

namespace Tessera.Tests.Http.Catalog;

/// <summary>Stash's <c>scanCompleteSubscribe</c> as a sync trigger, in a real server against the stand-in's websocket:
/// an event queues a smart sync, a dropped connection comes back, a refused upgrade leaves polling alone, the key goes
/// only to the upgrade request, and the server stops promptly while connected.</summary>
public sealed class CatalogSubscriptionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AScanCompleteEvent_QueuesASmartSync_ThatPicksUpTheChange_AndTheKeyStaysOutOfTheLogs(bool legacyProtocol)
    {
        await using var stash = await StashStandIn.StartAsync();
        stash.Subscriptions.LegacyOnly = legacyProtocol;
        var log = new LogCapture();
        await using var host = await StartAsync(stash, log);
        await WaitForAsync(() => stash.Subscriptions.Active == 1, "the server never subscribed");
        await FinishStartupSyncAsync(host);

        var added = stash.Add("scenes", "Found by a scan");
        Assert.Equal(1, await stash.Subscriptions.FireScanCompleteAsync());
        await WaitForTitleAsync(host, added.Id, "Found by a scan");

        var jobs = await SyncJobsAsync(host);
        Assert.Contains(jobs, j => j.GetProperty("trigger").GetString() == "change");
        Assert.All(stash.Subscriptions.Keys, k => Assert.Equal(stash.ApiKey, k));
        Assert.Contains("[4107]", log.Text, StringComparison.Ordinal);
        Assert.Contains("[4111]", log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(stash.ApiKey, log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsDuringARunningSync_QueueOneFollowUp_AfterIt()
    {
        await using var stash = await StashStandIn.StartAsync();
        var log = new LogCapture();
        await using var host = await StartAsync(stash, log);
        await WaitForAsync(() => stash.Subscriptions.Active == 1, "the server never subscribed");
        await FinishStartupSyncAsync(host);

        // The next listing page (the smart sync's scenes, which changed) holds the sync running until released.
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        stash.AfterListingPages(1, () =>
        {
            held.Set();
            release.Wait(Deadline);
        });
        stash.Add("scenes", "Before the first scan");
        Assert.Equal(1, await stash.Subscriptions.FireScanCompleteAsync());
        await WaitForAsync(() => held.IsSet, "the first event's sync never listed");
        Assert.Equal(1, await stash.Subscriptions.FireScanCompleteAsync());
        Assert.Equal(1, await stash.Subscriptions.FireScanCompleteAsync());
        await WaitForAsync(() => log.Text.Split("[4111]").Length - 1 >= 3, "the events during the sync were not seen");
        Assert.Single(await ChangeJobsAsync(host));

        var added = stash.Add("scenes", "Committed while the sync ran");
        release.Set();
        await WaitForTitleAsync(host, added.Id, "Committed while the sync ran");
        await WaitForAsync(async () => (await ChangeJobsAsync(host)).Count == 2 && (await ChangeJobsAsync(host)).All(j => j.GetProperty("status").GetString() == "completed"),
            "no follow-up sync ran after the held one");
        Assert.Equal(2, (await ChangeJobsAsync(host)).Count);
    }

    private static async Task<List<JsonElement>> ChangeJobsAsync(TesseraHost host) =>
        [.. (await SyncJobsAsync(host)).Where(j => j.GetProperty("trigger").GetString() == "change")];

    [Fact]
    public async Task ADroppedConnection_Reconnects_AndTheNextEventStillSyncs()
    {
        await using var stash = await StashStandIn.StartAsync();
        var log = new LogCapture();
        await using var host = await StartAsync(stash, log);
        await WaitForAsync(() => stash.Subscriptions.Active == 1, "the server never subscribed");
        await FinishStartupSyncAsync(host);

        stash.Subscriptions.DropAll();
        await WaitForAsync(() => stash.Subscriptions.Upgrades >= 2 && stash.Subscriptions.Active == 1, "the server never reconnected");
        var added = stash.Add("scenes", "After the drop");
        Assert.Equal(1, await stash.Subscriptions.FireScanCompleteAsync());
        await WaitForTitleAsync(host, added.Id, "After the drop");
        Assert.Contains("[4109]", log.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(400)]
    public async Task ARefusedUpgrade_IsToldOnce_AndPollingStillSyncs(int status)
    {
        await using var stash = await StashStandIn.StartAsync();
        stash.Subscriptions.RefuseStatus = status;
        var log = new LogCapture();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(stash, log, clock);
        await FinishStartupSyncAsync(host);
        await WaitForAsync(() => log.Text.Contains("[4108]", StringComparison.Ordinal), "the refusal was never told");

        var added = stash.Add("scenes", "Found by a poll");
        clock.Advance(TimeSpan.FromMinutes(61)); // past PollInterval (60m)
        await WaitForTitleAsync(host, added.Id, "Found by a poll");

        Assert.Contains(await SyncJobsAsync(host), j => j.GetProperty("trigger").GetString() == "schedule");
        Assert.Equal(1, stash.Subscriptions.Upgrades); // not asked again within RefusedRetry (30 min of real time)
        var lines = log.Lines.Where(l => l.Contains("CatalogSubscriptions", StringComparison.Ordinal)).ToList();
        Assert.Single(lines, l => l.Contains("[4108]", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWrongKey_IsRefusedOnTheUpgrade_AndToldOnce()
    {
        await using var stash = await StashStandIn.StartAsync();
        var log = new LogCapture();
        await using var host = await StartAsync(stash, log, key: "not-the-key-42");
        await WaitForAsync(() => log.Text.Contains("[4108]", StringComparison.Ordinal), "the refusal was never told");
        Assert.Contains("HTTP 401", log.Text, StringComparison.Ordinal);
        Assert.Equal(["not-the-key-42"], stash.Subscriptions.Keys);
        Assert.DoesNotContain("not-the-key-42", log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_False_NeverConnects()
    {
        await using var stash = await StashStandIn.StartAsync();
        await using var host = await StartAsync(stash, new LogCapture(), subscribe: false);
        await FinishStartupSyncAsync(host);
        Assert.Equal(0, stash.Subscriptions.Upgrades);
    }

    [Fact]
    public async Task StoppingTheServerWhileSubscribed_StopsPromptly_AndClosesTheConnection()
    {
        await using var stash = await StashStandIn.StartAsync();
        var host = await StartAsync(stash, new LogCapture());
        await WaitForAsync(() => stash.Subscriptions.Active == 1, "the server never subscribed");

        var stop = host.DisposeAsync().AsTask();
        var finished = await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(25))); // a hung subscription holds the host for its 30 s shutdown timeout
        Assert.Same(stop, finished);
        await stop;
        await WaitForAsync(() => stash.Subscriptions.Active == 0, "the websocket stayed open after the server stopped");
    }

    private static Task<TesseraHost> StartAsync(StashStandIn stash, LogCapture log, FakeTimeProvider? clock = null, bool subscribe = true,
        string? key = null) =>
        TesseraHost.StartAsync(_ => { }, o =>
        {
            JobApi.Configure(o);
            o.Catalogs["stash"] = new CatalogOptions { Name = "stash", Url = stash.BaseAddress, ApiKey = key ?? stash.ApiKey, Subscribe = subscribe };
        }, services: s =>
        {
            log.AddTo(s);
            if (clock is not null)
            {
                s.AddSingleton<TimeProvider>(clock);
            }
        });

    private static async Task FinishStartupSyncAsync(TesseraHost host)
    {
        JsonElement startup = default;
        await WaitForAsync(async () => (await SyncJobsAsync(host)) is [.., var first] && (startup = first).ValueKind == JsonValueKind.Object, "no start-up sync");
        var done = await JobApi.FinishedAsync(host.Client, startup.GetProperty("id").GetInt64());
        Assert.Equal("completed", done.Status);
    }

    private static async Task<IReadOnlyList<JsonElement>> SyncJobsAsync(TesseraHost host)
    {
        using var response = await JobApi.SendAsync(host.Client, HttpMethod.Get, "/api/jobs?kind=catalog-sync");
        response.EnsureSuccessStatusCode();
        using var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. list.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.Clone())];
    }

    private static Task WaitForTitleAsync(TesseraHost host, long id, string title) =>
        WaitForAsync(async () =>
        {
            using var response = await JobApi.SendAsync(host.Client, HttpMethod.Get, $"/api/catalog/stash/scenes/{id}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return document.RootElement.GetProperty("entity").GetProperty("title").GetString() == title;
        }, $"scene {id} was never synced");

    private static Task WaitForAsync(Func<bool> condition, string failure) => WaitForAsync(() => Task.FromResult(condition()), failure);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }
}
