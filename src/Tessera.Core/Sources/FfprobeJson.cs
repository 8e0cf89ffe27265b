using System.Globalization;
using System.Text.Json;

namespace Tessera.Core.Sources;

/// <summary>Reads ffprobe's <c>-of json</c> answer for format=duration and each stream's index, type, codec
/// and attached_pic disposition.</summary>
internal static class FfprobeJson
{
    public static MediaProbe Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            TimeSpan? duration = null;
            if (root.TryGetProperty("format", out var format) && format.TryGetProperty("duration", out var d)
                && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                && double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
            {
                duration = TimeSpan.FromSeconds(seconds);
            }

            int? cover = null;
            string? coverCodec = null;
            var hasVideo = false;
            if (root.TryGetProperty("streams", out var streams) && streams.ValueKind == JsonValueKind.Array)
            {
                foreach (var s in streams.EnumerateArray())
                {
                    if (Text(s, "codec_type") != "video" || !s.TryGetProperty("index", out var index) || !index.TryGetInt32(out var i))
                    {
                        continue;
                    }

                    var attached = s.TryGetProperty("disposition", out var disposition)
                        && disposition.TryGetProperty("attached_pic", out var flag) && flag.TryGetInt32(out var on) && on == 1;
                    if (!attached)
                    {
                        hasVideo = true;
                    }
                    else if (cover is null)
                    {
                        (cover, coverCodec) = (i, Text(s, "codec_name"));
                    }
                }
            }

            return new MediaProbe(duration, cover, hasVideo, coverCodec);
        }
        catch (JsonException e)
        {
            throw new ExternalToolException($"ffprobe gave unreadable JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new ExternalToolException($"ffprobe gave unexpected JSON: {e.Message}", e);
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
