namespace Tessera.Core.Cache;

/// <summary>When items that could not be thumbnailed are tried again.</summary>
public sealed class NegativeCacheOptions
{
    /// <summary>A missing file (or an audio file without a cover) is looked at again after this (default 23 h).</summary>
    public TimeSpan NotFoundRecheck { get; set; } = TimeSpan.FromHours(23);

    /// <summary>Decode failures and too-large sources depend on the bytes, so they are retried when the file
    /// changes, or after this in case a newer libvips or ffmpeg can read them (default 23 h).</summary>
    public TimeSpan PermanentRecheck { get; set; } = TimeSpan.FromHours(23);

    /// <summary>The first back-off of a transient failure (timeout); it doubles per attempt (default 1 min).</summary>
    public TimeSpan TransientBase { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest back-off of a transient failure (default 24 h).</summary>
    public TimeSpan TransientCap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Up to this fraction is added to a back-off, so items that failed together are not retried together (default 0.1).</summary>
    public double Jitter { get; set; } = 0.1;

    /// <summary>Entries of app items and provider URLs (item:, url:) kept at most — what anonymous /i/ requests for
    /// unknown ids can create; past it the oldest are forgotten, so they are simply tried again (default 10,000; 0: no bound).</summary>
    public int MaxProviderEntries { get; set; } = 10_000;

    /// <summary>The clock for failure and retry times; tests replace it.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
