using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Core.Index;

namespace Tessera.Index.Postgres;

/// <summary>An invalidation as NOTIFY payloads: small JSON, each under PostgreSQL's 8000-byte limit. A long key list is
/// split over several notifications; past <see cref="MostNotifications"/> of them, or a single key too long for one,
/// the event becomes "drop everything".</summary>
internal static class InvalidationPayload
{
    public const int MaxBytes = 7900; // PostgreSQL refuses payloads of 8000 bytes or more
    public const int MostNotifications = 64;

    public static IReadOnlyList<string> Write(string sender, InvalidationEvent invalidation)
    {
        var payloads = new List<string>();
        if (!Split(sender, invalidation, payloads) || payloads.Count > MostNotifications)
        {
            return [Serialize(sender, InvalidationEvent.Everything)];
        }

        return payloads;
    }

    public static (string Sender, InvalidationEvent Event)? Read(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, InvalidationJson.Default.InvalidationMessage) is { Sender: { } s, Event: { } e } ? (s, e) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Split(string sender, InvalidationEvent invalidation, List<string> payloads)
    {
        var json = Serialize(sender, invalidation);
        if (Encoding.UTF8.GetByteCount(json) <= MaxBytes)
        {
            payloads.Add(json);
            return true;
        }

        if (invalidation.Keys is not { Count: > 1 } keys || payloads.Count > MostNotifications)
        {
            return false;
        }

        var half = keys.Count / 2;
        return Split(sender, invalidation with { Keys = [.. keys.Take(half)] }, payloads)
            && Split(sender, invalidation with { Keys = [.. keys.Skip(half)] }, payloads);
    }

    private static string Serialize(string sender, InvalidationEvent invalidation) =>
        JsonSerializer.Serialize(new InvalidationMessage(sender, invalidation), InvalidationJson.Default.InvalidationMessage);
}

internal sealed record InvalidationMessage(string Sender, InvalidationEvent Event);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InvalidationMessage))]
internal sealed partial class InvalidationJson : JsonSerializerContext;
