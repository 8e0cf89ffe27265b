namespace Tessera.Core.Pipeline;

/// <summary>The wire and storage spelling of <see cref="FailureReason"/>: the X-Tessera-Placeholder header,
/// the negatives table, the CLI and the API all use the same words.</summary>
public static class FailureReasons
{
    public static string ToText(FailureReason reason) => reason switch
    {
        FailureReason.NotFound => "not-found",
        FailureReason.TooLarge => "too-large",
        FailureReason.Timeout => "timeout",
        FailureReason.UpstreamError => "upstream-error",
        FailureReason.Blocked => "blocked",
        _ => "decode-failed",
    };

    public static bool TryParse(string? text, out FailureReason reason)
    {
        foreach (var r in Enum.GetValues<FailureReason>())
        {
            if (string.Equals(ToText(r), text, StringComparison.OrdinalIgnoreCase))
            {
                reason = r;
                return true;
            }
        }

        reason = default;
        return false;
    }
}
