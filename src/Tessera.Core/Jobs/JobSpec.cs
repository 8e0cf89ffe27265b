using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Core.Jobs;

/// <summary>A job's parameters as stored (<see cref="JobRecord.Spec"/>): what the kinds need to run it anywhere.
/// <see cref="Root"/> is an ad-hoc folder (the CLI's <c>warm PATH</c>), set only in-process, never by a request.</summary>
public sealed record JobSpec(
    string? Library = null,
    string? Root = null,
    IReadOnlyList<string>? Paths = null,
    IReadOnlyList<string>? Ids = null,
    IReadOnlyList<string>? Presets = null,
    IReadOnlyList<string>? Urls = null,
    string? Preset = null,
    IReadOnlyList<string>? Roles = null,
    string? Mode = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, JobJson.Default.JobSpec);

    public static JobSpec Parse(string json) =>
        JsonSerializer.Deserialize(json, JobJson.Default.JobSpec) ?? throw new JobRequestException("the job's spec is empty");

    /// <summary>A short, stable hash of a sorted list, for scopes: the same set in any order is the same scope.</summary>
    public static string Hash(IEnumerable<string> values)
    {
        var joined = string.Join('\n', values.Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)))[..16];
    }

    /// <summary>A unit's items as stored.</summary>
    public static string Items(IReadOnlyList<string> items) => JsonSerializer.Serialize(items, JobJson.Default.IReadOnlyListString);

    public static IReadOnlyList<string> ParseItems(string json) => JsonSerializer.Deserialize(json, JobJson.Default.IReadOnlyListString) ?? [];
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JobSpec))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class JobJson : JsonSerializerContext;
