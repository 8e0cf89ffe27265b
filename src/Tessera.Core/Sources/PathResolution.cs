namespace Tessera.Core.Sources;

/// <summary>The outcome of resolving a request path inside a library.</summary>
public sealed record PathResolution(PathOutcome Outcome, string? FullPath, string? Reason)
{
    public static readonly PathResolution Missing = new(PathOutcome.Missing, null, "no such file in the library");

    public static PathResolution Found(string fullPath) => new(PathOutcome.Found, fullPath, null);

    public static PathResolution Invalid(string reason) => new(PathOutcome.Invalid, null, reason);
}

public enum PathOutcome
{
    Found,
    Missing,
    Invalid,
}
