using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tessera.Core;
using Tessera.Server.Jobs;

namespace Tessera.Tests.Http.Jobs;

/// <summary>The jobs API from a test: a host with the admin key and no job triggers of its own (no start-up or
/// scheduled warm, no watcher), admin requests, and waiting for a job's state with a generous deadline.</summary>
internal static class JobApi
{
    public const string Key = "job-api-tests-admin-key-0123";

    /// <summary>Only the jobs the test asks for; <paramref name="runJobs"/> false keeps them queued (for controls).</summary>
    public static void Configure(TesseraOptions o, bool runJobs = true)
    {
        o.AdminApiKey = Key;
        o.Jobs.Enabled = runJobs;
        o.Jobs.WarmAtStart = null;
        o.Jobs.WarmEvery = null;
        o.Jobs.WatchLibraries = false;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? json = null, string? key = Key)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, string? key = Key)
    {
        using var request = Request(method, path, json, key);
        return await client.SendAsync(request);
    }

    public static async Task<JobDocument> ReadJobAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync(JobApiJson.Default.JobDocument) ?? throw new InvalidOperationException("no job in the body");

    public static async Task<JobDocument> CreateAsync(HttpClient client, string json, string path = "/api/jobs")
    {
        using var response = await SendAsync(client, HttpMethod.Post, path, json);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return await ReadJobAsync(response);
    }

    public static async Task<JobDocument> GetAsync(HttpClient client, long id)
    {
        using var response = await SendAsync(client, HttpMethod.Get, $"/api/jobs/{id}");
        response.EnsureSuccessStatusCode();
        return await ReadJobAsync(response);
    }

    /// <summary>Polls the job until it satisfies <paramref name="done"/>; fails after two minutes with its last state.</summary>
    public static async Task<JobDocument> WaitAsync(HttpClient client, long id, Func<JobDocument, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var job = await GetAsync(client, id);
            if (done(job))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"job {id} never got there; last: {JsonSerializer.Serialize(job, JobApiJson.Default.JobDocument)}");
            await Task.Delay(100);
        }
    }

    public static Task<JobDocument> FinishedAsync(HttpClient client, long id) => WaitAsync(client, id, j => j.IsFinished);
}
