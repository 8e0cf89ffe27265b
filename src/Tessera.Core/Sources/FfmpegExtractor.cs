using System.Globalization;

namespace Tessera.Core.Sources;

/// <summary>Gets images out of media files with ffmpeg as a child process: a video frame at 10% of the
/// duration (the first frame for clips of a second or less), or the cover art embedded in an audio or video
/// file. One ffprobe call decides what exists; every child runs with a timeout and an output cap.</summary>
public sealed class FfmpegExtractor(FfmpegOptions options)
{
    /// <summary>ffprobe's JSON for a file with a few hundred streams stays well under this.</summary>
    private const long MaxProbeOutputBytes = 1024 * 1024;

    /// <summary>Duration, cover stream and whether there is a real video stream, from one ffprobe call.
    /// Throws <see cref="ExternalToolException"/> (ffprobe cannot read the file) or <see cref="TimeoutException"/>.</summary>
    public async Task<MediaProbe> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var json = await ProcessRunner.RunAsync(options.FfprobePath,
        [
            "-v", "error", "-show_entries", "format=duration:stream=index,codec_type,codec_name:stream_disposition=attached_pic",
            "-of", "json", "-protocol_whitelist", "file", "-i", Input(path),
        ], options.Timeout, MaxProbeOutputBytes, cancellationToken).ConfigureAwait(false);
        return FfprobeJson.Parse(json);
    }

    /// <summary>A JPEG of one frame, or throws <see cref="ExternalToolException"/> / <see cref="TimeoutException"/>.
    /// Never the cover art: only real video streams are considered.</summary>
    public async Task<byte[]> VideoFrameAsync(string path, CancellationToken cancellationToken)
    {
        var probe = await ProbeAsync(path, cancellationToken).ConfigureAwait(false);
        if (!probe.HasVideo)
        {
            throw new ExternalToolException("the file has no video stream");
        }

        var at = probe.Duration is { TotalSeconds: > 1.0 } d ? d * 0.10 : TimeSpan.Zero;
        byte[] frame;
        try
        {
            frame = await FrameAtAsync(path, at, cancellationToken).ConfigureAwait(false);
        }
        catch (ExternalToolException) when (at > TimeSpan.Zero)
        {
            frame = [];
        }

        if (frame.Length == 0 && at > TimeSpan.Zero)
        {
            // A broken index or a duration that overstates the stream: the seek found nothing, the start may.
            frame = await FrameAtAsync(path, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }

        return frame.Length > 0 ? frame : throw new ExternalToolException("the file has no decodable video frame");
    }

    /// <summary>The embedded cover (ID3 APIC, MP4 covr, FLAC/Ogg picture, Matroska attachment) as stored,
    /// or null when there is none; ffmpeg is not started for files without one.</summary>
    public async Task<byte[]?> EmbeddedCoverAsync(string path, CancellationToken cancellationToken)
    {
        var probe = await ProbeAsync(path, cancellationToken).ConfigureAwait(false);
        if (probe.AttachedPictureStream is not { } stream)
        {
            return null;
        }

        var cover = await ProcessRunner.RunAsync(options.FfmpegPath,
        [
            "-v", "error", "-nostdin", "-protocol_whitelist", "file", "-i", Input(path), "-map", $"0:{stream.ToString(CultureInfo.InvariantCulture)}",
            "-c", "copy", "-frames:v", "1", "-f", "image2pipe", "-",
        ], options.Timeout, options.MaxOutputBytes, cancellationToken).ConfigureAwait(false);
        return cover.Length > 0 ? cover : null;
    }

    /// <summary>An explicit file: URL, and only the file protocol allowed (nested opens inherit it): a name
    /// like "concat:…" or "http:…" is not a protocol, and a playlist disguised as a video cannot reach the network.</summary>
    private static string Input(string path) => "file:" + Path.GetFullPath(path);

    private Task<byte[]> FrameAtAsync(string path, TimeSpan at, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(options.FfmpegPath,
        [
            // 0:V:0 is the first video stream that is not an attached picture; -ss before -i seeks by the index.
            "-v", "error", "-nostdin", "-protocol_whitelist", "file",
            "-ss", at.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), "-i", Input(path),
            "-map", "0:V:0", "-frames:v", "1", "-an", "-sn", "-dn", "-c:v", "mjpeg", "-q:v", "2", "-f", "image2pipe", "-",
        ], options.Timeout, options.MaxOutputBytes, cancellationToken);
}
