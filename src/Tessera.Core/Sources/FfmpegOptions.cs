namespace Tessera.Core.Sources;

/// <summary>Where ffmpeg is and how much it may do per file.</summary>
public sealed class FfmpegOptions
{
    public string FfmpegPath { get; set; } = "ffmpeg";

    public string FfprobePath { get; set; } = "ffprobe";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest frame or cover accepted from ffmpeg's output (default 32 MiB).</summary>
    public long MaxOutputBytes { get; set; } = 32L * 1024 * 1024;
}
