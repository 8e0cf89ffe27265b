namespace Tessera.Core.Sources.Chain;

/// <summary>The image a thumbnail is made from, named by the SHA-256 of its bytes: a file in a library (read in
/// place), or bytes Tessera derived and keeps in the <see cref="Storage.OriginalStore"/>. The rendition key is
/// computed from <see cref="Hash"/>, so two items with the same cover share every rendition.</summary>
public sealed record Original(string Hash, string Step, string? FilePath)
{
    /// <summary>Derives the bytes again when the stored copy was evicted (null for files).</summary>
    public Func<CancellationToken, Task<byte[]>>? Rederive { get; init; }
}

/// <summary>What one step of a source chain came to: an original, nothing (no embedded art, no sidecar), or a
/// failure with its reason.</summary>
public sealed record StepOutcome(string Step, Original? Found, Pipeline.FailureReason Reason, string Detail)
{
    public static StepOutcome Of(Original original) => new(original.Step, original, Pipeline.FailureReason.NotFound, string.Empty);

    /// <summary>The step looked and the item has no image of its kind (no embedded art, no sidecar).</summary>
    public static StepOutcome Nothing(string step, string detail) => new(step, null, Pipeline.FailureReason.NoCover, detail);

    /// <summary>The step's source file itself is missing.</summary>
    public static StepOutcome Missing(string step, string detail) => new(step, null, Pipeline.FailureReason.NotFound, detail);

    public static StepOutcome Failed(string step, Pipeline.FailureReason reason, string detail) => new(step, null, reason, detail);

    public override string ToString() => Found is not null ? $"{Step}: found" : $"{Step}: {Detail}";
}

/// <summary>One place a cover can come from.</summary>
public interface ISourceStep
{
    string Name { get; }

    Task<StepOutcome> ResolveAsync(CancellationToken cancellationToken);
}

/// <summary>The step names, as headers, logs and negative entries spell them.</summary>
public static class Steps
{
    public const string Embedded = "embedded";
    public const string Sidecar = "sidecar";
    public const string File = "file";
    public const string Frame = "frame";
    public const string Remote = "remote";
    public const string Catalog = "catalog";
}
