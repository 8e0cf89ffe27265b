using Tessera.Vips;

namespace Tessera.Tests.Support.StashStandIn;

/// <summary>The stand-in's image bytes: small solid JPEGs.</summary>
internal static class StandInImages
{
    public static byte[] SolidJpeg(int width, int height, byte r, byte g, byte b)
    {
        using var img = VipsImage.Solid(width, height, r, g, b);
        return img.Save(new SaveOptions(ImageFormat.Jpeg, 90));
    }
}
