using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Tessera.Core;
using Tessera.Tests.Remote;
using Tessera.Tests.Support;

namespace Tessera.Tests.Http.Limits;

/// <summary>What anonymous /i/ requests can cost, through the real server and a loopback provider: per-host pacing
/// (Remote:HostRequestsPerMinute) and the bounds on provider fetches, index rows and negative entries.</summary>
public sealed class ProviderLimitTests : IAsyncLifetime
{
    private static readonly byte[] Cover = Images.SolidJpeg(40, 40, 10, 120, 200);
    private Upstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await Upstream.StartAsync((app, _) =>
    {
        app.MapGet("/covers/{id}", (string id) => Results.Bytes(Cover, "image/jpeg"));
        app.MapGet("/gone/{id}", (string id) => Results.NotFound());
    });

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task AProviderHost_IsPaced_AndAFetchPastTheBoundFailsAtOnce()
    {
        await using var host = await StartAsync("covers", o =>
        {
            o.Remote.HostRequestsPerMinute["127.0.0.1"] = 60; // one a second
            o.Remote.MaxPaceWait = TimeSpan.FromSeconds(2);
        });

        var watch = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => host.Client.GetAsync(new Uri($"/i/books/paced-{i}/cover", UriKind.Relative))));
        var elapsed = watch.Elapsed;
        try
        {
            var arrivals = _upstream.Requests;
            var paced = responses.Count(r => HttpAssert.Header(r, "X-Tessera-Detail")?.Contains("paced", StringComparison.Ordinal) == true);

            // Counts, not durations: one slot a second (plus the first at once) is all the provider can have seen.
            Assert.InRange(arrivals, 1, 2 + (int)elapsed.TotalSeconds);
            Assert.Equal(12, arrivals + paced);
            Assert.True(paced >= 1, $"12 fetches at once, a 2 s bound and one slot a second: some must be refused ({arrivals} arrived in {elapsed})");
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode)); // the upstream-error placeholder, as for a provider's own 429
        }
        finally
        {
            foreach (var r in responses)
            {
                r.Dispose();
            }
        }
    }

    [Fact]
    public async Task RandomIds_FromOneClient_AreBoundedByTheMissLimit_InFetchesAndIndexRows()
    {
        await using var host = await StartAsync("covers", o => o.Limits.MissesPerMinute = 20);
        var before = IndexRows(host);

        var refused = 0;
        for (var i = 0; i < 2000; i++)
        {
            using var response = await host.Client.GetAsync(new Uri($"/i/books/{Guid.NewGuid():N}/cover", UriKind.Relative));
            refused += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        // A one-minute window: a run that crosses its edge may get two windows' worth, never more.
        Assert.InRange(_upstream.Requests, 1, 40);
        Assert.InRange(refused, 2000 - 40, 2000 - 1);
        Assert.InRange(IndexRows(host) - before, 0, 3 * 40);
    }

    [Fact]
    public async Task RandomIds_AgainstADeadProvider_LeaveAtMostTheBoundOfNegativeEntries()
    {
        await using var host = await StartAsync("gone", o => o.Negative.MaxProviderEntries = 50);

        for (var i = 0; i < 200; i++)
        {
            using var response = await host.Client.GetAsync(new Uri($"/i/books/{Guid.NewGuid():N}/cover", UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // the not-found placeholder, as before
        }

        Assert.Equal(200, _upstream.Requests);
        Assert.InRange(host.Cache.Negatives.Count, 1, 50);
        Assert.InRange(NegativeRows(host), 1, 50);
    }

    [Fact]
    public async Task WithoutTheBound_EveryRandomIdLeavesTwoNegativeEntries()
    {
        // The reproduction (400 ids → 800 entries), smaller: what the bound above is protecting against.
        await using var host = await StartAsync("gone", o => o.Negative.MaxProviderEntries = 0);

        for (var i = 0; i < 60; i++)
        {
            using var response = await host.Client.GetAsync(new Uri($"/i/books/{Guid.NewGuid():N}/cover", UriKind.Relative));
        }

        Assert.Equal(120, NegativeRows(host));
    }

    private Task<TesseraHost> StartAsync(string route, Action<TesseraOptions> configure) =>
        TesseraHost.StartAsync(_ => { }, o =>
        {
            o.Remote.AllowedNetworks.Add("127.0.0.1/32");
            o.Remote.MaxRetries = 0;
            o.Providers["books"] = [_upstream.Url($"/{route}/").AbsoluteUri + "{id}"];
            configure(o);
        });

    private static long IndexRows(TesseraHost host)
    {
        using var connection = Open(host);
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        return tables.Sum(t => Count(connection, $"SELECT COUNT(*) FROM \"{t}\""));
    }

    private static long NegativeRows(TesseraHost host)
    {
        using var connection = Open(host);
        return Count(connection, "SELECT COUNT(*) FROM negatives");
    }

    private static SqliteConnection Open(TesseraHost host)
    {
        var connection = new SqliteConnection($"Data Source={host.Cache.Folder.DatabasePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return connection;
    }

    private static long Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
