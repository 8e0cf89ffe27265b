namespace Tessera.Core.Index;

/// <summary>Originals derived from a source (an embedded cover, a video frame, a download), remembered across restarts.</summary>
public interface IDerivedIndex
{
    /// <summary>What a step derived from a source (a media file's content hash, or a URL), or null when never tried.</summary>
    Task<DerivedOriginal?> GetDerivedAsync(string source, string stepName, CancellationToken cancellationToken);

    /// <summary>What a step derived from each of many sources, in one or a few queries; sources never tried are absent.</summary>
    Task<IReadOnlyDictionary<string, DerivedOriginal>> GetDerivedManyAsync(IReadOnlyCollection<string> sources, string stepName, CancellationToken cancellationToken);

    Task PutDerivedAsync(DerivedOriginal derived, CancellationToken cancellationToken);

    /// <summary>Forgets what was derived from these sources; returns the originals' hashes that were named.</summary>
    Task<IReadOnlyList<string>> ForgetDerivedAsync(IReadOnlyCollection<string> sources, CancellationToken cancellationToken);

    /// <summary>The originals derived from sources that start with any of these prefixes (provider URLs of a library).</summary>
    Task<IReadOnlyList<string>> OriginalsFromAsync(IReadOnlyList<string> sourcePrefixes, CancellationToken cancellationToken);

    /// <summary>The sources that start with this prefix and have a row (a provider template's URLs for one item).</summary>
    Task<IReadOnlyList<string>> SourcesFromAsync(string sourcePrefix, CancellationToken cancellationToken);
}

/// <summary>An original a step derived from a source. <see cref="Original"/> null means the step found nothing
/// (an audio file without embedded art). Remote originals carry their HTTP validators and freshness.</summary>
public sealed record DerivedOriginal(string Source, string Step, string? Original, string? Detail)
{
    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Until when a remote original is used without revalidation.</summary>
    public DateTimeOffset? FreshUntil { get; init; }
}
