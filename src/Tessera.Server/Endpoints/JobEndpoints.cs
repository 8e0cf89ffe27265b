using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Tessera.Core.Items;
using Tessera.Core.Jobs;
using Tessera.Core.Sources;
using Tessera.Server.Jobs;
using Tessera.Server.OpenApi;

namespace Tessera.Server.Endpoints;

/// <summary>Background jobs over HTTP, behind the admin key: create (POST /api/jobs, POST /api/cache/preload, the
/// POST /api/libraries/{library}/changed webhook), list, show, failures, pause/resume/cancel, and the events stream.
/// The job service comes from the request's services (<c>[FromServices]</c>), so a host without the job engine still
/// maps every other route.</summary>
internal static class JobEndpoints
{
    public static void MapJobs(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api").AddEndpointFilter(AdminEndpoints.RequireApiKey).AdminOnly();
        admin.MapPost("/jobs", CreateAsync).Body<JobBody>().Produces<JobDocument>(StatusCodes.Status202Accepted).Problems(400, 413)
            .Describe("Jobs", "Start a background job", "Kinds warm, preload and cleanup. 202 with the job and its Location; an active job of the same kind " +
                "and scope is answered instead, with existing: true.");
        admin.MapGet("/jobs", ListAsync).Produces<JobPage>().Problems(400)
            .Describe("Jobs", "Jobs, newest first", "limit ≤ 1000 (default 50); pass next as before for the next page.");
        admin.MapGet("/jobs/events", JobEventStream.StreamAsync).Produces<JobDocument>(StatusCodes.Status200OK, "text/event-stream")
            .Describe("Jobs", "Job progress as server-sent events", "First the current state, then event: job with the job's JSON at each change; a comment every 15 s.");
        admin.MapGet("/jobs/{id:long}", GetAsync).Produces<JobDocument>().Problems(404).Describe("Jobs", "One job by id");
        admin.MapGet("/jobs/{id:long}/failures", FailuresAsync).Produces<IReadOnlyList<JobFailureDocument>>().Problems(404)
            .Describe("Jobs", "A job's failed tasks", "A capped sample; the job's failed count counts them all.");
        admin.MapPost("/jobs/{id:long}/pause", (HttpContext c, [FromServices] IJobService jobs, long id) => ControlAsync(c, id, "paused", jobs.PauseAsync))
            .Produces<JobDocument>().Problems(404, 409).Describe("Jobs", "Pause a job", "A paused job stays paused across restarts; 409 when the move does not apply.");
        admin.MapPost("/jobs/{id:long}/resume", (HttpContext c, [FromServices] IJobService jobs, long id) => ControlAsync(c, id, "resumed", jobs.ResumeAsync))
            .Produces<JobDocument>().Problems(404, 409).Describe("Jobs", "Resume a paused job", "409 when the move does not apply.");
        admin.MapPost("/jobs/{id:long}/cancel", (HttpContext c, [FromServices] IJobService jobs, long id) => ControlAsync(c, id, "cancelled", jobs.CancelAsync))
            .Produces<JobDocument>().Problems(404, 409).Describe("Jobs", "Cancel a job", "Stops its running units too; 409 when the move does not apply.");
        admin.MapPost("/cache/preload", PreloadAsync).Body<PreloadBody>().Produces<JobDocument>(StatusCodes.Status202Accepted).Problems(400, 413)
            .Describe("Jobs", "Fetch and render remote images ahead", "A preload job; each URL's signed /r/ URL is then a hit.");
        admin.MapPost("/libraries/{library}/changed", ChangedAsync).Body<ChangedBody>().Produces<JobDocument>(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status204NoContent).Problems(400, 404, 413)
            .Describe("Jobs", "The app's webhook: these paths or ids changed", "A warm job of just those (trigger webhook); 204 when nothing is left to warm.");
    }

    private static async Task<IResult> CreateAsync(HttpContext context, [FromServices] IJobService jobs, IReadOnlyDictionary<string, FolderLibrary> libraries)
    {
        var (body, _, bad) = await JsonBody.ReadAsync(context, JobApiJson.Default.JobBody, JsonBody.BulkCap, JobRequests.JobShape);
        if (bad is not null || body is null)
        {
            return bad ?? JobRequests.Bad(JobRequests.JobShape);
        }

        var (request, problem) = JobRequests.FromBody(body, libraries);
        return request is null ? JobRequests.Bad(problem!) : await SubmitAsync(context, jobs, request);
    }

    private static async Task<IResult> PreloadAsync(HttpContext context, [FromServices] IJobService jobs)
    {
        var (body, _, bad) = await JsonBody.ReadAsync(context, JobApiJson.Default.PreloadBody, JsonBody.BulkCap, JobRequests.PreloadShape);
        if (bad is not null || body is null)
        {
            return bad ?? JobRequests.Bad(JobRequests.PreloadShape);
        }

        var (request, problem) = JobRequests.FromPreload(body);
        return request is null ? JobRequests.Bad(problem!) : await SubmitAsync(context, jobs, request);
    }

    private static async Task<IResult> ChangedAsync(HttpContext context, [FromServices] IJobService jobs, ItemResolver items,
        IReadOnlyDictionary<string, FolderLibrary> libraries, string library)
    {
        if (!items.IsItemLibrary(library))
        {
            return Results.Problem(detail: $"unknown library '{library}'", statusCode: StatusCodes.Status404NotFound);
        }

        var (body, _, bad) = await JsonBody.ReadAsync(context, JobApiJson.Default.ChangedBody, JsonBody.BulkCap, JobRequests.ChangedShape);
        if (bad is not null || body is null)
        {
            return bad ?? JobRequests.Bad(JobRequests.ChangedShape);
        }

        var (request, problem) = JobRequests.FromChanged(library, body, libraries);
        return request is not null ? await SubmitAsync(context, jobs, request) : problem is not null ? JobRequests.Bad(problem) : Results.NoContent();
    }

    /// <summary>202 with the job, new or the active one of the same kind and scope ("existing": true), and its Location.</summary>
    internal static async Task<IResult> SubmitAsync(HttpContext context, IJobService jobs, JobRequest request)
    {
        try
        {
            var (job, created) = await jobs.CreateAsync(request, context.RequestAborted);
            context.Response.Headers.Location = $"/api/jobs/{job.Record.Id}";
            return Results.Json(JobDocument.From(job, existing: !created), JobApiJson.Default.JobDocument, statusCode: StatusCodes.Status202Accepted);
        }
        catch (JobRequestException e)
        {
            return JobRequests.Bad(e.Message);
        }
    }

    private static async Task<IResult> ListAsync([FromServices] IJobService jobs, string? status, string? kind, long? before, int? limit, CancellationToken ct)
    {
        JobStatus? filter = null;
        if (status is not null)
        {
            if (!JobNames.TryParse(status, out JobStatus s))
            {
                return JobRequests.Bad($"unknown status '{status}': expected queued, running, paused, completed, failed or cancelled");
            }

            filter = s;
        }

        var take = Math.Clamp(limit ?? 50, 1, 1000);
        var page = await jobs.ListAsync(filter, string.IsNullOrEmpty(kind) ? null : kind, before, take, ct);
        var documents = page.Select(j => JobDocument.From(j)).ToList();
        return Results.Json(new JobPage(documents, page.Count == take ? page[^1].Record.Id : null), JobApiJson.Default.JobPage);
    }

    private static async Task<IResult> GetAsync([FromServices] IJobService jobs, long id, CancellationToken ct) =>
        await jobs.GetAsync(id, ct) is { } job ? Results.Json(JobDocument.From(job), JobApiJson.Default.JobDocument) : NotFound(id);

    private static async Task<IResult> FailuresAsync([FromServices] IJobService jobs, long id, int? offset, int? limit, CancellationToken ct)
    {
        if (await jobs.GetAsync(id, ct) is null)
        {
            return NotFound(id);
        }

        var failures = await jobs.FailuresAsync(id, Math.Max(offset ?? 0, 0), Math.Clamp(limit ?? 100, 1, 1000), ct);
        return Results.Json<IReadOnlyList<JobFailureDocument>>([.. failures.Select(JobFailureDocument.From)], JobApiJson.Default.IReadOnlyListJobFailureDocument);
    }

    private static async Task<IResult> ControlAsync(HttpContext context, long id, string verb, Func<long, CancellationToken, Task<JobControlResult?>> move)
    {
        if (await move(id, context.RequestAborted) is not { } result)
        {
            return NotFound(id);
        }

        if (!result.Changed)
        {
            return Results.Problem(detail: $"job {id} is {JobNames.ToText(result.Job.Record.Status)}: it cannot be {verb}", statusCode: StatusCodes.Status409Conflict);
        }

        return Results.Json(JobDocument.From(result.Job), JobApiJson.Default.JobDocument);
    }

    internal static IResult NotFound(long id) => Results.Problem(detail: $"no job {id}", statusCode: StatusCodes.Status404NotFound);
}
