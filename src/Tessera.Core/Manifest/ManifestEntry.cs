using Tessera.Core.Pipeline;

namespace Tessera.Core.Manifest;

/// <summary>Where one manifest item stands, as an app lays out its grid before any image arrives.</summary>
public enum ManifestStatus
{
    /// <summary>The rendition is stored: key, size and (when it was made with one) preview are known.</summary>
    Ready,

    /// <summary>Not generated yet, or not known without reading or fetching the source; the first image request makes it.</summary>
    Pending,

    /// <summary>No such file, or the source is known not to exist.</summary>
    Missing,

    /// <summary>The negative cache holds a failure (reason says which) until its retry time.</summary>
    Failed,

    /// <summary>The path or id cannot name an item (reason says why).</summary>
    Invalid,
}

/// <summary>What the manifest answers for one item. <see cref="Key"/> (the ETag and content address) is set when ready;
/// width and height when ready, or for a pending image file from its header (no decode).</summary>
public sealed record ManifestEntry(ManifestStatus Status, string? Key = null, int? Width = null, int? Height = null, Preview? Preview = null,
    string? Reason = null);
