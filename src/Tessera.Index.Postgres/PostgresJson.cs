using System.Text.Json.Serialization;

namespace Tessera.Index.Postgres;

/// <summary>Source-generated JSON for the registrations' source lists (NativeAOT: no reflection).</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class PostgresJson : JsonSerializerContext;
