namespace Tessera.Core.Remote;

/// <summary>What the cache remembers of a stored original, sent back as If-None-Match / If-Modified-Since.</summary>
public sealed record RemoteValidators(string? ETag, DateTimeOffset? LastModified);
