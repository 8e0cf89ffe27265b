using System.Globalization;

namespace Tessera.Core.Sources;

/// <summary>Gets images out of media files with ffmpeg as a child process: a video frame at 10% of the
/// duration (the first frame for clips under a second), or the cover art embedded in an audio file.</summary>
public sealed class FfmpegExtractor(FfmpegOptions options)
{
    /// <summary>A JPEG of one frame, or throws <see cref="ExternalToolException"/> / <see cref="TimeoutException"/>.</summary>
    public async Task<byte[]> VideoFrameAsync(string path, CancellationToken cancellationToken)
    {
        var duration = await DurationAsync(path, cancellationToken).ConfigureAwait(false);
        var at = duration is > 1.0 ? duration.Value * 0.10 : 0.0;
        var frame = await ProcessRunner.RunAsync(options.FfmpegPath,
        [
            "-v", "error", "-nostdin", "-ss", at.ToString("0.###", CultureInfo.InvariantCulture), "-i", path,
            "-map", "0:V:0?", "-frames:v", "1", "-an", "-sn", "-dn", "-c:v", "mjpeg", "-q:v", "2", "-f", "image2pipe", "-",
        ], options.Timeout, options.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
        return frame.Length > 0 ? frame : throw new ExternalToolException("the file has no decodable video frame");
    }

    /// <summary>The embedded cover (ID3 APIC, MP4 covr, FLAC/Ogg picture) as stored, or null when there is none.</summary>
    public async Task<byte[]?> EmbeddedCoverAsync(string path, CancellationToken cancellationToken)
    {
        var cover = await ProcessRunner.RunAsync(options.FfmpegPath,
        [
            "-v", "error", "-nostdin", "-i", path, "-map", "0:v:0?", "-an", "-sn", "-dn", "-frames:v", "1",
            "-c", "copy", "-f", "image2pipe", "-",
        ], options.Timeout, options.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
        return cover.Length > 0 ? cover : null;
    }

    private async Task<double?> DurationAsync(string path, CancellationToken cancellationToken)
    {
        var output = await ProcessRunner.RunAsync(options.FfprobePath,
            ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
            options.Timeout, 4096, cancellationToken).ConfigureAwait(false);
        var text = System.Text.Encoding.ASCII.GetString(output).Trim();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
    }
}
