using System.Buffers.Binary;
using Tessera.Core.Engine;
using Tessera.Core.Presets;

namespace Tessera.Core.Pipeline;

/// <summary>Whether an original's bytes, stripped of metadata, show what its thumbnail shows: the same format
/// (one the stripper cleans: JPEG, PNG, WebP), the same size (it fit the box, nothing was rotated), upright, 8-bit
/// sRGB or grey with no other profile, and a single frame.</summary>
internal static class OriginalIsThumbnail
{
    public static bool Check(byte[] original, EncodedImage thumbnail)
    {
        if (thumbnail.Format is not (OutputFormat.Jpeg or OutputFormat.Png or OutputFormat.WebP) || IsAnimated(original))
        {
            return false;
        }

        SourceHeader header;
        try
        {
            header = VipsEngine.Probe(original);
        }
        catch (EngineException)
        {
            return false;
        }

        return VipsEngine.FormatOf(header) == thumbnail.Format
            && header.Width == thumbnail.Width && header.Height == thumbnail.Height && header.PageHeight == header.Height
            && header.Orientation == 1
            && header.Interpretation is "srgb" or "b-w"
            && (header.IccProfile is null || IccProfiles.IsSrgb(header.IccProfile));
    }

    /// <summary>An animated WebP (VP8X animation flag) or APNG (an acTL chunk): the thumbnail is the first frame only.</summary>
    private static bool IsAnimated(byte[] data)
    {
        if (data.Length >= 21 && data.AsSpan(12, 4).SequenceEqual("VP8X"u8))
        {
            return (data[20] & 0x02) != 0;
        }

        if (data.Length < 8 || data[0] != 0x89)
        {
            return false;
        }

        for (var pos = 8; pos + 8 <= data.Length;)
        {
            var type = data.AsSpan(pos + 4, 4);
            if (type.SequenceEqual("acTL"u8))
            {
                return true;
            }

            if (type.SequenceEqual("IDAT"u8))
            {
                return false; // acTL must come before the image data
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos));
            if (length > data.Length)
            {
                return false; // damaged: the decoder will say so
            }

            pos += 12 + (int)length;
        }

        return false;
    }
}
