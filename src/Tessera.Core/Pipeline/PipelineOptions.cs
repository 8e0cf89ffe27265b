namespace Tessera.Core.Pipeline;

/// <summary>Limits on what the pipeline will decode.</summary>
public sealed class PipelineOptions
{
    /// <summary>Bumping this changes every rendition key, so everything regenerates lazily, no migration.</summary>
    public const int Version = 1;

    /// <summary>Largest first page or frame accepted, read from the header before decoding (default 100 MP).</summary>
    public long MaxSourcePixels { get; set; } = 100_000_000;

    /// <summary>Largest source file accepted (default 512 MiB).</summary>
    public long MaxInputBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Longest a single decode and encode may take before it is killed (default 30 s).</summary>
    public TimeSpan DecodeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Tessera CLI that renders PDF and SVG pages in a killable child process (<c>tessera render-worker</c>);
    /// null finds it (the running <c>tessera</c>, else one beside the assemblies), "off" renders in-process.</summary>
    public string? WorkerPath { get; set; }

    /// <summary>The clock the decode time cap runs on (tests make it fire on demand).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Largest rendition stored or served (default 2 MiB); see <see cref="SizeGuard"/>.</summary>
    public long MaxRenditionBytes { get; set; } = 2L * 1024 * 1024;

    /// <summary>Encoder effort for WebP (0–6). 2, not libvips' 4: at thumbnail sizes it costs 11% less CPU per
    /// thumbnail for 3% more bytes and 0.25 dB less PSNR (bench/results/latest.md); 3 costs as much as 4.</summary>
    public int WebPEffort { get; set; } = 2;

    /// <summary>Shrink JPEGs as far as possible while decoding (<see cref="Engine.JpegShrink.Fast"/>, sharp's default)
    /// rather than keeping a factor of two for the resize as libvips' thumbnail does (Encoding:FastShrinkOnLoad, default
    /// on). Off gives libvips' output exactly, at more CPU per large JPEG.</summary>
    public bool FastShrinkOnLoad { get; set; } = true;

    /// <summary>Encoder effort for AVIF (0–9); AV1 is slow, so this favours speed.</summary>
    public int AvifEffort { get; set; } = 2;
}
