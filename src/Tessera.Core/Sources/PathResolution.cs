namespace Tessera.Core.Sources;

/// <summary>The outcome of resolving a request path inside a library.</summary>
public sealed record PathResolution(PathOutcome Outcome, string? FullPath, string? Reason)
{
    public static readonly PathResolution Missing = new(PathOutcome.Missing, null, "no such file in the library");

    public static PathResolution Found(string fullPath) => new(PathOutcome.Found, fullPath, null);

    public static PathResolution Found(string fullPath, FileStamp stamp) => new(PathOutcome.Found, fullPath, null) { Stamp = stamp };

    /// <summary>The file's stamp as resolving it saw it (null for a folder, or when not taken): the request's one stat.</summary>
    public FileStamp? Stamp { get; init; }

    public static PathResolution Invalid(string reason) => new(PathOutcome.Invalid, null, reason);
}

public enum PathOutcome
{
    Found,
    Missing,
    Invalid,
}
