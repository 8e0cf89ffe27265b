namespace Tessera.Core.Sources;

/// <summary>How source files are identified (Sources:SampleAbove).</summary>
public sealed class FingerprintOptions
{
    public const long DefaultSampleAbove = 64L * 1024 * 1024;

    /// <summary>Below this a sampled id would read about as much as the whole file.</summary>
    public const long MinSampleAbove = (long)SampledContentId.SampleBytes * SampledContentId.Samples;

    /// <summary>Files larger than this are identified by a <see cref="SampledContentId"/>, smaller ones by the SHA-256 of
    /// every byte; null: every file is hashed whole.</summary>
    public long? SampleAboveBytes { get; set; } = DefaultSampleAbove;
}
