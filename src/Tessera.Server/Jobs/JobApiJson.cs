using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Jobs;

/// <summary>The jobs API's bodies both ways, without reflection (NativeAOT): the server writes them, the CLI reads them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JobDocument))]
[JsonSerializable(typeof(JobPage))]
[JsonSerializable(typeof(IReadOnlyList<JobFailureDocument>))]
[JsonSerializable(typeof(JobBody))]
[JsonSerializable(typeof(PreloadBody))]
[JsonSerializable(typeof(ChangedBody))]
public sealed partial class JobApiJson : JsonSerializerContext;

/// <summary>POST /api/jobs. MaxRuntime is a duration such as 2h or 30m.</summary>
public sealed record JobBody(string? Kind, string? Library, List<string>? Paths, List<string>? Ids, List<string>? Presets, List<string>? Urls,
    string? Preset, int? Priority, string? MaxRuntime, List<string>? Roles = null);

/// <summary>POST /api/cache/preload (VinylVault's API).</summary>
public sealed record PreloadBody(List<string>? Urls, string? Preset);

/// <summary>POST /api/libraries/{library}/changed: what the app changed, as library paths or app item ids.</summary>
public sealed record ChangedBody(List<string>? Paths, List<string>? Ids);
