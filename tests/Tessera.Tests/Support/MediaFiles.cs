using System.Diagnostics;

namespace Tessera.Tests.Support;

/// <summary>Audio and video files made by the real ffmpeg for a test, with or without an embedded cover.</summary>
public static class MediaFiles
{
    /// <summary>A one-second audio file; with <paramref name="cover"/>, that image embedded as its attached picture
    /// (ID3 APIC for .mp3, covr for .m4a/.m4b, a PICTURE block for .flac).</summary>
    public static string Audio(string path, string? cover = null, int hz = 440)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var codec = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".mp3" => new[] { "-c:a", "libmp3lame", "-id3v2_version", "3" },
            ".flac" => ["-c:a", "flac"],
            _ => ["-c:a", "aac", "-f", "mp4"],
        };
        List<string> args = ["-v", "error", "-y", "-f", "lavfi", "-i", $"sine=frequency={hz}:duration=1"];
        if (cover is not null)
        {
            args.AddRange(["-i", cover, "-map", "0:a", "-map", "1:v", "-c:v", "copy", "-disposition:v:0", "attached_pic"]);
        }

        args.AddRange(codec);
        args.Add(path);
        Run(args);
        return path;
    }

    /// <summary>A short H.264 video of one colour.</summary>
    public static string Video(string path, string colour = "green", double seconds = 2)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Run(["-v", "error", "-y", "-f", "lavfi", "-i", $"color=c={colour}:s=320x240:d={seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "-pix_fmt", "yuv420p", "-c:v", "libx264", path]);
        return path;
    }

    private static void Run(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(60_000) || p.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed: {err}");
        }
    }
}
