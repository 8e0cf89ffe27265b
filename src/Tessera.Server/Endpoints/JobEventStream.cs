using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Tessera.Core.Jobs;
using Tessera.Server.Jobs;

namespace Tessera.Server.Endpoints;

/// <summary>GET /api/jobs/events[?id=]: server-sent events, <c>event: job</c> with the job's JSON as data, flushed one by
/// one. It opens with the current state (the job asked for, or every active job), then sends each change the service
/// reports, and a comment line every <see cref="Heartbeat"/> so proxies keep an idle stream open. It ends when the
/// client goes; the jobs go on.</summary>
internal static class JobEventStream
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext context, [FromServices] IJobService jobs, long? id)
    {
        var ct = context.RequestAborted;
        // Subscribe before reading the current state, so no change falls between the two (a duplicate is harmless).
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var changes = jobs.WatchAsync(id, watching.Token).GetAsyncEnumerator(watching.Token);
        var next = changes.MoveNextAsync().AsTask();
        try
        {
            var current = await CurrentAsync(jobs, id, ct);
            if (id is { } one && current.Count == 0)
            {
                await JobEndpoints.NotFound(one).ExecuteAsync(context);
                return;
            }

            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no"; // nginx would otherwise hold events back
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await WriteAsync(response, ": tessera job events\n\n", ct);
            foreach (var job in current)
            {
                await WriteAsync(response, Event(job), ct);
            }

            while (true)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                if (await Task.WhenAny(next, Task.Delay(Heartbeat, beat.Token)) != next)
                {
                    await WriteAsync(response, ": heartbeat\n\n", ct);
                    continue;
                }

                await beat.CancelAsync();
                if (!await next)
                {
                    return;
                }

                await WriteAsync(response, Event(changes.Current), ct);
                next = changes.MoveNextAsync().AsTask();
            }
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away: nothing to answer, and the jobs go on.
        }
        finally
        {
            // An async iterator cannot be disposed while a MoveNextAsync is pending: end it first.
            await watching.CancelAsync();
            await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await changes.DisposeAsync();
        }
    }

    private static async Task<IReadOnlyList<JobView>> CurrentAsync(IJobService jobs, long? id, CancellationToken ct)
    {
        if (id is { } one)
        {
            return await jobs.GetAsync(one, ct) is { } job ? [job] : [];
        }

        var recent = await jobs.ListAsync(null, null, null, 200, ct);
        return [.. recent.Where(j => JobNames.IsActive(j.Record.Status)).Reverse()];
    }

    private static string Event(JobView job) =>
        $"event: job\ndata: {JsonSerializer.Serialize(JobDocument.From(job), JobApiJson.Default.JobDocument)}\n\n";

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await response.Body.FlushAsync(ct);
    }
}
