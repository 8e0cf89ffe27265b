namespace Tessera.Core.Sources;

/// <summary>What kind of original a file is, by extension: decides how its thumbnail is made.</summary>
public static class MediaKinds
{
    private static readonly HashSet<string> Images = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".tif", ".tiff", ".heic", ".heif", ".avif", ".avifs",
        ".jxl", ".svg", ".svgz", ".apng",
    };

    private static readonly HashSet<string> Videos = new(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".m4v", ".mkv", ".mov", ".webm", ".avi", ".wmv", ".mpg", ".mpeg", ".ts", ".m2ts", ".3gp", ".ogv", ".flv",
    };

    private static readonly HashSet<string> Audio = new(StringComparer.OrdinalIgnoreCase)
    {
        ".mp3", ".m4a", ".m4b", ".aac", ".flac", ".ogg", ".oga", ".opus", ".wma", ".wav", ".aiff", ".aif", ".ape", ".wv",
    };

    public static MediaKind Of(string path)
    {
        var ext = Path.GetExtension(path);
        if (Images.Contains(ext))
        {
            return MediaKind.Image;
        }

        if (ext.Equals(".pdf", StringComparison.OrdinalIgnoreCase))
        {
            return MediaKind.Document;
        }

        if (Videos.Contains(ext))
        {
            return MediaKind.Video;
        }

        return Audio.Contains(ext) ? MediaKind.Audio : MediaKind.Other;
    }
}

public enum MediaKind
{
    Other,
    Image,
    Video,
    Audio,

    /// <summary>A PDF: its first page, unless a sidecar cover is there.</summary>
    Document,
}
