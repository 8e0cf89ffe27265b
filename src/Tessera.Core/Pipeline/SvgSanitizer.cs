using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Tessera.Core.Pipeline;

/// <summary>Rewrites an SVG so librsvg has nothing to fetch: no DOCTYPE or entities left, no scripts or
/// foreign content, no references outside the document except inline raster images. Everything else is
/// copied as parsed, so benign drawings render as before.</summary>
public static partial class SvgSanitizer
{
    /// <summary>Largest SVG accepted, after gunzipping an SVGZ (10 MiB).</summary>
    public const long MaxSvgBytes = 10L * 1024 * 1024;

    /// <summary>Characters internal entities may expand to in one document. Illustrator declares a few
    /// namespace URIs as entities; a billion-laughs bomb needs millions of characters and stops here.</summary>
    public const long MaxEntityCharacters = 1024 * 1024;

    private static readonly HashSet<string> DroppedElements = new(StringComparer.OrdinalIgnoreCase)
    {
        // Scripts and embedded documents; SVG Tiny's handler/listener; media and animation elements that
        // can point elsewhere (animation can also rewrite an href after sanitising).
        "script", "foreignObject", "iframe", "object", "embed", "handler", "listener", "audio", "video", "animation",
        "set", "animate", "animateMotion", "animateTransform", "animateColor", "discard",
    };

    /// <summary>XInclude (librsvg follows it) and XSLT.</summary>
    private static readonly HashSet<string> DroppedNamespaces = new(StringComparer.Ordinal)
    {
        "http://www.w3.org/2001/XInclude", "http://www.w3.org/1999/XSL/Transform",
    };

    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <summary>The sanitised document as UTF-8, or throws <see cref="ThumbnailException"/> (DecodeFailed for
    /// malformed XML or a non-SVG root, TooLarge past <paramref name="maxBytes"/> or the entity cap).</summary>
    public static byte[] Sanitize(ReadOnlyMemory<byte> svg, long maxBytes = MaxSvgBytes)
    {
        if (svg.Length > maxBytes)
        {
            throw new ThumbnailException(FailureReason.TooLarge, $"SVG is {svg.Length} bytes; the limit is {maxBytes}");
        }

        var settings = new XmlReaderSettings
        {
            // Parse, not Prohibit: ordinary files carry DOCTYPEs (SVG 1.1 PUBLIC ids, Illustrator's internal
            // entities) and Prohibit refuses them all. With no resolver nothing external is ever read, and
            // the caps bound internal expansion.
            DtdProcessing = DtdProcessing.Parse,
            XmlResolver = null,
            MaxCharactersFromEntities = MaxEntityCharacters,
            MaxCharactersInDocument = maxBytes + MaxEntityCharacters,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true, // xml-stylesheet would make librsvg load CSS
            CloseInput = true,
        };
        var output = new MemoryStream();
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(svg.ToArray(), writable: false), settings);
            using var writer = XmlWriter.Create(output, new XmlWriterSettings
            {
                Encoding = new UTF8Encoding(false), // libvips sniffs the first bytes as ASCII: no BOM
                NewLineHandling = NewLineHandling.None,
            });
            Copy(reader, writer);
        }
        catch (XmlException e) when (e.Message.Contains("MaxCharacters", StringComparison.Ordinal))
        {
            throw new ThumbnailException(FailureReason.TooLarge, $"SVG expands past its entity or size limit: {e.Message}", e);
        }
        catch (XmlException e)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, $"malformed SVG: {e.Message}", e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The writer refuses what the reader let through (odd namespace declarations): no output, no render.
            throw new ThumbnailException(FailureReason.DecodeFailed, $"SVG cannot be rewritten safely: {e.Message}", e);
        }

        return output.ToArray();
    }

    private static void Copy(XmlReader reader, XmlWriter writer)
    {
        var sawRoot = false;
        var depth = 0;
        var styleDepth = 0;
        var more = reader.Read();
        while (more)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when Dropped(reader):
                    reader.Skip();
                    more = !reader.EOF;
                    continue;
                case XmlNodeType.Element:
                    if (!sawRoot && !string.Equals(reader.LocalName, "svg", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new ThumbnailException(FailureReason.DecodeFailed, $"not an SVG document: the root element is <{reader.Name}>");
                    }

                    sawRoot = true;
                    depth += reader.IsEmptyElement ? 0 : 1;
                    CopyElement(reader, writer, ref styleDepth);
                    break;
                case XmlNodeType.EndElement:
                    depth--;
                    writer.WriteFullEndElement();
                    if (IsStyle(reader))
                    {
                        styleDepth--;
                    }

                    break;
                case XmlNodeType.Text:
                    writer.WriteString(styleDepth > 0 ? CssSanitizer.Clean(reader.Value) : reader.Value);
                    break;
                case XmlNodeType.CDATA:
                    writer.WriteCData(styleDepth > 0 ? CssSanitizer.Clean(reader.Value) : reader.Value);
                    break;
                case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when depth > 0:
                    writer.WriteWhitespace(reader.Value);
                    break;
                default:
                    // DOCTYPE, XML declaration (the writer makes its own), comments, processing instructions,
                    // whitespace outside the root (libvips wants "<svg" early).
                    break;
            }

            more = reader.Read();
        }

        if (!sawRoot)
        {
            throw new ThumbnailException(FailureReason.DecodeFailed, "not an SVG document: no root element");
        }
    }

    private static void CopyElement(XmlReader reader, XmlWriter writer, ref int styleDepth)
    {
        writer.WriteStartElement(reader.Prefix, reader.LocalName, reader.NamespaceURI);
        var empty = reader.IsEmptyElement;
        var style = IsStyle(reader);
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (KeptValue(reader) is { } value)
                {
                    writer.WriteAttributeString(reader.Prefix, reader.LocalName, reader.NamespaceURI, value);
                }
            }
            while (reader.MoveToNextAttribute());

            reader.MoveToElement();
        }

        if (empty)
        {
            writer.WriteEndElement();
        }
        else if (style)
        {
            styleDepth++;
        }
    }

    /// <summary>The attribute's value if it stays, else null.</summary>
    private static string? KeptValue(XmlReader attribute)
    {
        var name = attribute.LocalName;
        var value = attribute.Value;
        if (attribute.NamespaceURI == XmlnsNamespace)
        {
            return value; // a namespace name is an identifier, never fetched
        }

        if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase)
            || (attribute.NamespaceURI == XmlNamespace && name == "base"))
        {
            return null;
        }

        if (name.Equals("href", StringComparison.OrdinalIgnoreCase) || name.Equals("src", StringComparison.OrdinalIgnoreCase))
        {
            return IsSafeReference(value) ? value : null;
        }

        if (name.Equals("style", StringComparison.OrdinalIgnoreCase))
        {
            var clean = CssSanitizer.Clean(value);
            return string.IsNullOrWhiteSpace(clean) ? null : clean;
        }

        // Presentation attributes (fill, clip-path, filter, …) are CSS too: any outside url() drops the attribute.
        return CssSanitizer.IsClean(value) ? value : null;
    }

    /// <summary>A same-document fragment, or an inline PNG/JPEG/GIF/WebP whose bytes say so too.
    /// Inline SVG is refused: it would be a second document that was never sanitised.</summary>
    internal static bool IsSafeReference(string value)
    {
        var v = value.Trim();
        if (v.StartsWith('#'))
        {
            return !v.Any(char.IsWhiteSpace);
        }

        var m = InlineImage().Match(v);
        if (!m.Success)
        {
            return false;
        }

        var head = new string([.. m.Groups["data"].Value.Where(c => !char.IsWhiteSpace(c)).Take(16)]);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(head);
        }
        catch (FormatException)
        {
            return false;
        }

        return m.Groups["type"].Value.ToLowerInvariant() switch
        {
            "png" => bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']),
            "jpeg" => bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
            "gif" => bytes.AsSpan().StartsWith("GIF8"u8),
            _ => bytes.Length >= 12 && bytes.AsSpan().StartsWith("RIFF"u8) && bytes.AsSpan(8, 4).SequenceEqual("WEBP"u8),
        };
    }

    private static bool Dropped(XmlReader element) =>
        DroppedElements.Contains(element.LocalName) || DroppedNamespaces.Contains(element.NamespaceURI);

    private static bool IsStyle(XmlReader element) => element.LocalName.Equals("style", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^data:image/(?<type>png|jpeg|gif|webp);base64,(?<data>[A-Za-z0-9+/=\s]{16,})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex InlineImage();
}
