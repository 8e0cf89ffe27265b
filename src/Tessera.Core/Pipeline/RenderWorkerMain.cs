using Tessera.Core.Engine;

namespace Tessera.Core.Pipeline;

/// <summary>The child's side of <see cref="RenderWorker"/>, run by the hidden <c>tessera render-worker</c> command:
/// the same engine settings as the server (untrusted loaders blocked, one libvips thread), the same pixel limit, and
/// only the loaders the parent sends here (pdfload from a library file, svgload from sanitised bytes on stdin).
/// Writes the encoded thumbnail to <paramref name="output"/>; one line on <paramref name="error"/> when it fails.</summary>
public static class RenderWorkerMain
{
    public const int Failed = 2;
    public const int TooLarge = 3;

    public static int Run(RenderJob job, Stream input, Stream output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            var svg = job.Path is null ? ReadAll(input) : null;
            var header = svg is null ? VipsEngine.Probe(job.Path!) : VipsEngine.Probe(svg);
            var expected = svg is null ? "pdfload" : "svgload";
            if (!header.Loader.StartsWith(expected, StringComparison.Ordinal))
            {
                error.WriteLine($"the render worker takes {expected} sources only, not {header.Loader}");
                return Failed;
            }

            if (header.FirstPagePixels > job.MaxPixels)
            {
                error.WriteLine($"{header.Width}x{header.PageHeight} is over the {job.MaxPixels}-pixel limit");
                return TooLarge;
            }

            var box = new ThumbnailBox(job.Width, job.Height, job.IccToSrgb);
            var encode = new EncodeSettings(job.Format, job.Quality, job.Effort);
            var bytes = (svg is null
                ? VipsEngine.Thumbnail(job.Path!, box, encode, CancellationToken.None)
                : VipsEngine.Thumbnail(svg, box, encode, CancellationToken.None)).Bytes;
            output.Write(bytes);
            output.Flush();
            return 0;
        }
        catch (EngineException e)
        {
            error.WriteLine(e.Message);
            return Failed;
        }
    }

    private static byte[] ReadAll(Stream input)
    {
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        return buffer.ToArray();
    }
}
