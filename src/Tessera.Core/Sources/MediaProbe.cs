namespace Tessera.Core.Sources;

/// <summary>What one ffprobe call tells about a media file.</summary>
/// <param name="Duration">The container's duration, or null when it does not say (broken index, raw streams).</param>
/// <param name="AttachedPictureStream">Index of the first attached picture (cover art) stream, or null.</param>
/// <param name="HasVideo">True when there is a video stream that is not an attached picture.</param>
/// <param name="AttachedPictureCodec">The cover's codec as ffprobe names it ("mjpeg", "png"), or null.</param>
public sealed record MediaProbe(TimeSpan? Duration, int? AttachedPictureStream, bool HasVideo, string? AttachedPictureCodec = null);
