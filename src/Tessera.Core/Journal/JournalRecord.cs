using System.Text.Json.Serialization;
using Tessera.Core.Index;

namespace Tessera.Core.Journal;

/// <summary>One line of the journal: an item change or a negative entry stored or cleared.</summary>
public sealed record JournalRecord(
    [property: JsonPropertyName("item")] ItemChange? Item = null,
    [property: JsonPropertyName("negative")] NegativeEntry? Negative = null,
    [property: JsonPropertyName("clear")] NegativeClear? Clear = null);

/// <summary>Negative entries removed: all, those of one reason, or one item.</summary>
public sealed record NegativeClear(Pipeline.FailureReason? Reason, string? Item);

/// <summary>Source-generated JSON for the journal (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JournalRecord))]
internal sealed partial class JournalJson : JsonSerializerContext;
