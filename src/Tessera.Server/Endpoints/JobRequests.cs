using Microsoft.AspNetCore.Http;
using Tessera.Core.Configuration;
using Tessera.Core.Items;
using Tessera.Core.Jobs;
using Tessera.Core.Sources;
using Tessera.Server.Jobs;

namespace Tessera.Server.Endpoints;

/// <summary>Turns the jobs API's bodies into <see cref="JobRequest"/>s. What only the engine knows (kinds, presets,
/// libraries, items) it checks itself (<see cref="JobRequestException"/>); what is about the request's shape, and
/// library paths, which go through the same resolver as /t/ (so traversal in any encoding is refused), is checked here.</summary>
internal static class JobRequests
{
    public const int MaxEntries = 100_000;
    public const string JobShape = "expected a JSON body: {\"kind\": \"warm\", \"library\": \"NAME\", \"paths\": [...], \"ids\": [...], " +
                                   "\"presets\": [...], \"urls\": [...], \"preset\": \"...\", \"priority\": 0, \"maxRuntime\": \"2h\"}";
    public const string PreloadShape = "expected a JSON body: {\"urls\": [\"https://...\"], \"preset\": \"grid\"}";
    public const string ChangedShape = "expected a JSON body: {\"paths\": [\"relative/path\", ...]} or {\"ids\": [\"...\", ...]}";

    public static (JobRequest? Request, string? Problem) FromBody(JobBody body, IReadOnlyDictionary<string, FolderLibrary> libraries)
    {
        if (string.IsNullOrWhiteSpace(body.Kind))
        {
            return (null, $"\"kind\" is required: {JobShape}");
        }

        if (body.Priority is < -100 or > 100)
        {
            return (null, "\"priority\" must be between -100 and 100");
        }

        TimeSpan? maxRuntime = null;
        if (body.MaxRuntime is { } text)
        {
            try
            {
                maxRuntime = Duration.Parse(text);
            }
            catch (FormatException e)
            {
                return (null, $"\"maxRuntime\": {e.Message}");
            }
        }

        if (Lists(body.Paths, body.Ids, body.Presets, body.Urls, body.Roles) is { } tooMany)
        {
            return (null, tooMany);
        }

        if (CheckPaths(body.Library, body.Paths, libraries) is { } bad)
        {
            return (null, bad);
        }

        if (CheckIds(body.Ids, out var ids) is { } badId)
        {
            return (null, badId);
        }

        return (new JobRequest(body.Kind.Trim().ToLowerInvariant(), body.Library, body.Paths, ids, body.Presets, body.Urls, body.Preset,
            body.Priority ?? 0, JobTrigger.Manual, maxRuntime, body.Roles), null);
    }

    public static (JobRequest? Request, string? Problem) FromPreload(PreloadBody body)
    {
        if (body.Urls is not { Count: > 0 } urls || string.IsNullOrWhiteSpace(body.Preset))
        {
            return (null, $"\"urls\" (1 to {MaxEntries}) and \"preset\" are required: {PreloadShape}");
        }

        return Lists(urls) is { } tooMany ? (null, tooMany) : (new JobRequest("preload", Urls: urls, Preset: body.Preset), null);
    }

    /// <summary>The webhook's warm job; neither request nor problem when every path named was deleted.</summary>
    public static (JobRequest? Request, string? Problem) FromChanged(string library, ChangedBody body, IReadOnlyDictionary<string, FolderLibrary> libraries)
    {
        if ((body.Paths?.Count ?? 0) + (body.Ids?.Count ?? 0) == 0)
        {
            return (null, ChangedShape);
        }

        if (body.Paths is { Count: > 0 } && !libraries.ContainsKey(library))
        {
            return (null, $"library '{library}' has no folder: name its items by \"ids\"");
        }

        if ((Lists(body.Paths, body.Ids) ?? CheckPaths(library, body.Paths, libraries)) is { } bad)
        {
            return (null, bad);
        }

        if (CheckIds(body.Ids, out var ids) is { } badId)
        {
            return (null, badId);
        }

        // A path that no longer exists was deleted: nothing to warm there (its renditions go with cleanup).
        var paths = body.Paths is { Count: > 0 } && libraries.TryGetValue(library, out var folder)
            ? body.Paths.Where(p => folder.Resolve(p).Outcome == PathOutcome.Found).ToList()
            : null;
        return paths is { Count: 0 } && ids is null
            ? (null, null)
            : (new JobRequest("warm", library, paths is { Count: > 0 } ? paths : null, ids, Trigger: JobTrigger.Webhook), null);
    }

    private static string? Lists(params List<string>?[] lists) =>
        lists.Any(l => l is { Count: > MaxEntries }) ? $"at most {MaxEntries} entries per list" :
        lists.Any(l => l is not null && l.Any(string.IsNullOrWhiteSpace)) ? "list entries must not be empty" : null;

    /// <summary>Library paths resolve as /t/ paths do; a path that is invalid there (traversal, a NUL, a link out of the
    /// library) is refused here. A missing path is not: a change may be a deletion, and the engine decides.</summary>
    private static string? CheckPaths(string? library, List<string>? paths, IReadOnlyDictionary<string, FolderLibrary> libraries)
    {
        if (paths is not { Count: > 0 } || library is null || !libraries.TryGetValue(library, out var folder))
        {
            return null;
        }

        foreach (var path in paths)
        {
            if (folder.Resolve(path) is { Outcome: PathOutcome.Invalid } resolved)
            {
                return $"path '{Shorten(path)}': {resolved.Reason}";
            }
        }

        return null;
    }

    private static string? CheckIds(List<string>? ids, out List<string>? normalized)
    {
        normalized = null;
        if (ids is not { Count: > 0 })
        {
            return null;
        }

        normalized = new List<string>(ids.Count);
        foreach (var id in ids)
        {
            if (!ItemIds.TryNormalize(id, out var n, out var why))
            {
                normalized = null;
                return $"id '{Shorten(id)}': {why}";
            }

            normalized.Add(n);
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    public static IResult Bad(string detail) => Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
