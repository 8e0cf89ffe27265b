using System.Net;
using Tessera.Tests.Http;
using Tessera.Tests.Http.Jobs;
using Tessera.Tests.Support;

namespace Tessera.Tests.Replicas;

/// <summary>Three real replicas on PostgreSQL and s3rver behave as one Tessera: a key is rendered once fleet-wide,
/// whichever replicas ask for it and however many at once, and a replica killed mid-job costs only time.</summary>
[Collection(Serial.Name)] // three servers each: alone, so a loaded machine is not overloaded further
public sealed class OneRenderPerKeyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AKeyGeneratedOnOneReplica_IsAHitOnAnother_WithIdenticalBytes()
    {
        var library = _dir.Sub("lib");
        File.WriteAllBytes(Path.Combine(library, "a.png"), NoiseImages.Png(600, 400));
        await using var fleet = await ReplicaFleet.StartAsync(_dir.Sub("fleet"), library, 2);

        using var miss = await fleet[0].Client.GetAsync(new Uri("/t/lib/grid/a.png", UriKind.Relative));
        Assert.True(miss.StatusCode == HttpStatusCode.OK, fleet.Output);
        Assert.Equal("miss", HttpAssert.Header(miss, "X-Tessera-Cache"));
        using var hit = await fleet[1].Client.GetAsync(new Uri("/t/lib/grid/a.png", UriKind.Relative));
        Assert.True(hit.StatusCode == HttpStatusCode.OK, fleet.Output);

        Assert.Equal("hit", HttpAssert.Header(hit, "X-Tessera-Cache"));
        Assert.Equal(await miss.Content.ReadAsByteArrayAsync(), await hit.Content.ReadAsByteArrayAsync());
        Assert.Equal(miss.Headers.ETag, hit.Headers.ETag);
        Assert.Equal((1, 0), (await fleet.GeneratedAsync(0), await fleet.GeneratedAsync(1)));
    }

    [Fact]
    public async Task TwoHundredColdRequestsForOneKey_SpreadOverThreeReplicas_MakeOneGeneration()
    {
        var library = _dir.Sub("lib");
        File.WriteAllBytes(Path.Combine(library, "big.png"), NoiseImages.Png(2400, 1600)); // a render long enough for every replica to ask meanwhile
        await using var fleet = await ReplicaFleet.StartAsync(_dir.Sub("fleet"), library, 3);
        var url = new Uri("/t/lib/detail/big.png", UriKind.Relative);

        using var go = new ManualResetEventSlim();
        var requests = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            go.Wait();
            using var response = await fleet[i % 3].Client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {fleet.Output}");
            Assert.False(response.Headers.TryGetValues("X-Tessera-Placeholder", out var reason),
                $"replica {i % 3} answered with a placeholder ({string.Join(",", reason ?? [])}):\n{fleet.Output}");
            return await response.Content.ReadAsByteArrayAsync();
        })).ToList();
        go.Set();
        var bodies = await Task.WhenAll(requests);

        Assert.True(bodies.Select(Convert.ToBase64String).Distinct().Count() == 1, "one body:\n" + fleet.Output);
        Assert.True(bodies[0].Length > 1000, "a real rendition");
        var generated = await fleet.GeneratedAsync();
        Assert.True(generated == 1, $"{generated} generations:\n{fleet.Output}");
    }

    [Fact]
    public async Task AFileThatFailsOnOneReplica_IsAPlaceholderOnAll_WithoutBeingTriedAgain()
    {
        var library = _dir.Sub("lib");
        File.WriteAllText(Path.Combine(library, "broken.jpg"), "not a jpeg");
        await using var fleet = await ReplicaFleet.StartAsync(_dir.Sub("fleet"), library, 2);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            using var response = await fleet[i % 2].Client.GetAsync(new Uri("/t/lib/grid/broken.jpg", UriKind.Relative));
            return (response.StatusCode, HttpAssert.Header(response, "X-Tessera-Placeholder"));
        })));

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "decode-failed"), a));
        // The replica that did not decode it learnt the failure from the shared index once the lease was free.
        var output = fleet.Output;
        Assert.True(output.Split("No thumbnail for").Length - 1 == 1, "one decode fleet-wide:\n" + output);
    }

    [Fact]
    public async Task AReplicaKilledMidJob_LeavesTheJobToTheOthers_WhichRenderEveryFile()
    {
        const int Files = 90;
        var library = _dir.Sub("lib");
        for (var i = 0; i < Files; i++)
        {
            File.WriteAllBytes(Path.Combine(library, $"f{i:D3}.png"), NoiseImages.Png(320, 240, seed: i)); // each its own content, so its own key
        }

        await using var fleet = await ReplicaFleet.StartAsync(_dir.Sub("fleet"), library, 3, new Dictionary<string, string>
        {
            ["Jobs:UnitSize"] = "3",
            ["Jobs:LeaseTime"] = "2s", // the dead replica's units and renditions are taken over 2 s after its last renewal
            ["Replicas:LeaseTime"] = "2s",
            ["Replicas:MaxWait"] = "10m", // never the way out here: a key of the dead replica must be taken over, not waited out
            ["Encoding:MaxConcurrent"] = "1",
        });
        using var created = await JobApi.SendAsync(fleet[0].Client, HttpMethod.Post, "/api/jobs", """{"kind":"warm","library":"lib","presets":["grid"]}""",
            ReplicaFleet.ApiKey);
        Assert.True(created.StatusCode == HttpStatusCode.Accepted, fleet.Output);
        var job = await JobApi.ReadJobAsync(created);

        // The first replica to render something is killed then, so it holds units and, most likely, a rendition lease.
        // (Whichever it is: one replica once took the whole job before the one it was posted to had started a unit.)
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        int victim;
        while ((victim = await FirstThatRenderedAsync(fleet)) < 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no replica rendered a file of the job: " + fleet.Output);
            await Task.Delay(20);
        }

        await fleet[victim].KillAsync();
        var (watcher, checker) = ((victim + 1) % 3, (victim + 2) % 3);
        var done = await WaitFinishedAsync(fleet[watcher].Client, job.Id, fleet);

        // What the dead replica stored before it died is skipped when its unit is run again.
        Assert.Equal(("completed", done.Total, 0L), (done.Status, done.Completed + done.Skipped, done.Failed));
        Assert.True(done.Total >= Files, $"{done.Total} tasks for {Files} files");
        Assert.True(ReplicaFleet.Scalar($"SELECT max(attempts) FROM {fleet.Schema}.job_units") >= 2, "a unit of the dead replica was claimed again");
        // Every file is stored: each is a hit on a replica that did not render it just now. (Not counted in the index: a
        // replica killed between its store write and its index row leaves the row to be rebuilt on the first read.)
        var generated = await fleet.GeneratedAsync(checker);
        for (var i = 0; i < Files; i++)
        {
            using var response = await fleet[checker].Client.GetAsync(new Uri($"/t/lib/grid/f{i:D3}.png", UriKind.Relative));
            var cache = response.Headers.TryGetValues("X-Tessera-Cache", out var values) ? string.Join(",", values) : "(none)";
            Assert.True((response.StatusCode, cache) == (HttpStatusCode.OK, "hit"),
                $"f{i:D3}.png: {(int)response.StatusCode} {cache}; job {done.Completed} completed, {done.Skipped} skipped of {done.Total}\n{fleet.Output}");
        }

        Assert.Equal(generated, await fleet.GeneratedAsync(checker));
    }

    private static async Task<int> FirstThatRenderedAsync(ReplicaFleet fleet)
    {
        for (var replica = 0; replica < 3; replica++)
        {
            if (await fleet.GeneratedAsync(replica) > 0)
            {
                return replica;
            }
        }

        return -1;
    }

    private static async Task<Tessera.Server.Jobs.JobDocument> WaitFinishedAsync(HttpClient client, long id, ReplicaFleet fleet)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            using var response = await JobApi.SendAsync(client, HttpMethod.Get, $"/api/jobs/{id}", key: ReplicaFleet.ApiKey);
            var job = await JobApi.ReadJobAsync(response);
            if (job.IsFinished)
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the job never finished: {job.Status} {job.Done}/{job.Total}\n{fleet.Output}");
            await Task.Delay(200);
        }
    }
}
