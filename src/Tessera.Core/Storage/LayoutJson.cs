using System.Text.Json.Serialization;

namespace Tessera.Core.Storage;

/// <summary>layout.json: the data folder's layout version and when it was made.</summary>
internal sealed record LayoutDocument(int LayoutVersion, DateTimeOffset Created);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LayoutDocument))]
internal sealed partial class LayoutJson : JsonSerializerContext;
