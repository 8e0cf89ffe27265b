using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Endpoints;

/// <summary>POST /api/manifest: a library, a preset, and either ids (app items, with a role) or paths (folder library).</summary>
public sealed record ManifestBody(string? Library, string? Preset, List<string?>? Ids, List<string?>? Paths, string? Role, string? Format);

/// <summary>The manifest: every item asked, in request order. <see cref="Expires"/> (unix seconds) is when the signed
/// URLs of a signed library stop working; absent otherwise.</summary>
public sealed record ManifestDocument(string Library, string Preset, string Format, long? Expires, IReadOnlyList<ManifestItemDocument> Items);

/// <summary>One item: its id or path as asked, its status (ready, pending, missing, failed, invalid), the URL to show it
/// by, and what is known of the rendition. Unknown fields are left out.</summary>
public sealed record ManifestItemDocument(string? Id, string? Path, string Status, string? Url, string? Etag, int? Width, int? Height,
    string? ThumbHash, string? Color, string? Reason);

/// <summary>The manifest's bodies both ways, without reflection (NativeAOT); nulls are left out of answers.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ManifestBody))]
[JsonSerializable(typeof(ManifestDocument))]
public sealed partial class ManifestJson : JsonSerializerContext;
