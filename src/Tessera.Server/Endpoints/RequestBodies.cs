using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Server.Endpoints;

/// <summary>PUT /api/items/{library}/{id}/{role}.</summary>
internal sealed record SourcesBody(List<string>? Sources, string? Path);

/// <summary>POST /api/items/{library}/{id}/aliases.</summary>
internal sealed record AliasesBody(List<string>? Aliases);

/// <summary>POST /api/items/{library}: bulk registration.</summary>
internal sealed record BulkBody(List<BulkEntry>? Items);

internal sealed record BulkEntry(string? Id, string? Role, List<string>? Sources, string? Path, List<string>? Aliases);

/// <summary>Request bodies read without reflection (NativeAOT), with the web defaults (camelCase, any case accepted).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SourcesBody))]
[JsonSerializable(typeof(AliasesBody))]
[JsonSerializable(typeof(BulkBody))]
internal sealed partial class RequestJson : JsonSerializerContext;
