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
        FailureReason.NoCover => "no-cover",
        _ => "decode-failed",
    };

    /// <summary>Every reason's text for help and error messages: "not-found, too-large, … or blocked".</summary>
    public static string Listing { get; } = List(Enum.GetValues<FailureReason>().Select(ToText).ToArray());

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

    private static string List(string[] texts) => $"{string.Join(", ", texts[..^1])} or {texts[^1]}";
}
