namespace Tessera.Core.Warm;

/// <summary>Where a warm run is: renditions done of total, and how each went.</summary>
public sealed record WarmProgress(int Done, int Total, int Warmed, int Skipped, int Failed, TimeSpan Elapsed)
{
    public double RatePerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    public TimeSpan? Eta => RatePerSecond > 0 ? TimeSpan.FromSeconds((Total - Done) / RatePerSecond) : null;
}

/// <summary>One rendition a warm run could not make.</summary>
public sealed record WarmFailure(string Path, string Preset, string Reason, string Detail);

/// <summary>The end of a warm run, including what eviction removed to keep the budget.</summary>
public sealed record WarmSummary(int Warmed, int Skipped, int Failed, TimeSpan Elapsed, IReadOnlyList<WarmFailure> Failures,
    Eviction.EvictionResult Evicted)
{
    /// <summary>The failures by file: each failed file once, with all its presets.</summary>
    public IReadOnlyList<WarmFailedFile> FailedFiles { get; } = WarmFailedFile.Group(Failures);
}
