using System.Buffers.Binary;

namespace Tessera.Core.Engine;

/// <summary>A progressive JPEG, rewritten so that decoding it at 1/8 scale gives the same pixels for less work.
/// At 1/8, libjpeg(-turbo) decodes each 8 × 8 block of a component to one pixel from its DC coefficient alone (the 1 × 1
/// inverse DCT), except a component it scales up through the DCT instead of upsampling it (the chroma of 4:2:0 is
/// decoded 2 × 2, from DC and the first three AC coefficients). A progressive file stores each component's AC
/// coefficients in scans of their own, most of its bytes, and libjpeg entropy-decodes every one of them. This drops the
/// AC scans of the components read from DC alone, and appends one scan per such component that says, in a few bytes of
/// end-of-band runs, that all its AC coefficients are zero: libjpeg then knows every coefficient (with one unknown it
/// would "smooth" the blocks, which changes the DC-only pixels) and outputs exactly what the whole file gives at 1/8
/// (checked pixel for pixel in the tests). Anything unexpected (not a Huffman progressive JPEG, a cut or odd stream)
/// gives null: the caller decodes the file as it is.</summary>
internal static class EighthScaleJpeg
{
    private const byte Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA, Dht = 0xC4, Dri = 0xDD, Sof2 = 0xC2;

    /// <summary>The lean stream, or null when this is not a progressive JPEG it can rewrite.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg is not [0xFF, Soi, ..])
        {
            return null;
        }

        var output = new List<byte>(jpeg.Length / 4) { 0xFF, Soi };
        Frame? frame = null;
        var at = 2;
        while (true)
        {
            if (at >= jpeg.Length || jpeg[at] != 0xFF)
            {
                return null;
            }

            while (at < jpeg.Length && jpeg[at] == 0xFF)
            {
                at++; // fill bytes
            }

            if (at >= jpeg.Length)
            {
                return null;
            }

            var marker = jpeg[at++];
            if (marker == Eoi)
            {
                if (frame is null)
                {
                    return null;
                }

                AppendZeroAcScans(output, frame);
                output.AddRange([0xFF, Eoi]);
                return [.. output];
            }

            if (marker is Soi or 0x01 or (>= 0xD0 and <= 0xD7) || at + 2 > jpeg.Length)
            {
                return null; // a second SOI, TEM or a restart marker outside a scan: not a stream to rewrite
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[at..]);
            if (length < 2 || at + length > jpeg.Length)
            {
                return null;
            }

            var segment = jpeg.Slice(at, length);
            if (marker is (>= 0xC0 and <= 0xCF) and not Dht and not 0xC8 and not 0xCC)
            {
                // A frame header: only the Huffman progressive one (SOF2), once.
                if (marker != Sof2 || frame is not null || (frame = Frame.Read(segment)) is null)
                {
                    return null;
                }
            }
            else if (marker == 0xDC)
            {
                return null; // DNL: the height comes later; rare, left alone
            }

            if (marker != Sos)
            {
                output.AddRange([0xFF, marker]);
                output.AddRange(segment);
                at += length;
                continue;
            }

            if (frame is null || ScanEnd(jpeg, at + length) is not { } end || Scan.Read(segment) is not { } scan)
            {
                return null;
            }

            // A DC scan, or an AC scan of a component that needs its AC coefficients, is kept with its entropy data.
            if (scan.SpectralStart == 0 || !frame.DcOnly(scan.Component))
            {
                output.AddRange([0xFF, marker]);
                output.AddRange(jpeg[at..end]);
            }

            at = end;
        }
    }

    /// <summary>Where a scan's entropy-coded data ends: the first marker that is not a stuffed 0xFF or a restart.</summary>
    private static int? ScanEnd(ReadOnlySpan<byte> jpeg, int from)
    {
        var at = from;
        while (true)
        {
            var next = jpeg[at..].IndexOf((byte)0xFF);
            if (next < 0 || at + next + 1 >= jpeg.Length)
            {
                return null;
            }

            at += next;
            var following = jpeg[at + 1];
            if (following == 0x00 || following is >= 0xD0 and <= 0xD7)
            {
                at += 2;
            }
            else if (following == 0xFF)
            {
                at++;
            }
            else
            {
                return at;
            }
        }
    }

    /// <summary>For each component read from DC alone, a first-pass AC scan of coefficients 1-63 (Al 0) in which every
    /// block is one end-of-band run: no restart interval (DRI 0), and an AC table 0 of its own holding the 15 run
    /// symbols (EOB0-EOB14), 4 bits each. The original AC tables are no longer used by then.</summary>
    private static void AppendZeroAcScans(List<byte> output, Frame frame)
    {
        output.AddRange([0xFF, Dri, 0x00, 0x04, 0x00, 0x00]);
        output.AddRange([0xFF, Dht, 0x00, 2 + 1 + 16 + 15, 0x10, 0, 0, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        for (var r = 0; r < 15; r++)
        {
            output.Add((byte)(r << 4));
        }

        foreach (var component in frame.Components.Where(c => frame.DcOnly(c.Id)))
        {
            output.AddRange([0xFF, Sos, 0x00, 0x08, 0x01, component.Id, 0x00, 0x01, 0x3F, 0x00]);
            var bits = new BitWriter(output);
            for (var left = frame.Blocks(component); left > 0;)
            {
                var run = Math.Min(left, 32767); // EOB14 with 14 extra bits: up to 2^15 - 1 blocks
                var r = 31 - int.LeadingZeroCount(run);
                bits.Write(r, 4);
                bits.Write(run - (1 << r), r);
                left -= run;
            }

            bits.Flush();
        }
    }

    private sealed record Component(byte Id, int H, int V);

    private sealed class Frame(int width, int height, Component[] components)
    {
        private readonly int _maxH = components.Max(c => c.H);
        private readonly int _maxV = components.Max(c => c.V);

        public Component[] Components { get; } = components;

        public static Frame? Read(ReadOnlySpan<byte> segment)
        {
            if (segment.Length < 8 || segment[2] != 8)
            {
                return null; // 8-bit samples only
            }

            var height = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
            var width = BinaryPrimitives.ReadUInt16BigEndian(segment[5..]);
            var count = segment[7];
            if (height == 0 || width == 0 || count is < 1 or > 4 || segment.Length < 8 + (3 * count))
            {
                return null;
            }

            var components = new Component[count];
            for (var i = 0; i < count; i++)
            {
                var (id, sampling) = (segment[8 + (3 * i)], segment[9 + (3 * i)]);
                var (h, v) = (sampling >> 4, sampling & 15);
                if (h is < 1 or > 4 || v is < 1 or > 4 || components.Take(i).Any(c => c.Id == id))
                {
                    return null;
                }

                components[i] = new Component(id, h, v);
            }

            return new Frame(width, height, components);
        }

        /// <summary>libjpeg-turbo's choice (jdmaster.c): a component sampled below the frame's maximum in both directions
        /// by a power of two is decoded at twice the scale per halving instead of upsampled; at 1/8 the others get the
        /// 1 × 1 inverse DCT, which reads the DC coefficient only.</summary>
        public bool DcOnly(byte id) =>
            Components.FirstOrDefault(c => c.Id == id) is { } c && !(_maxH % (c.H * 2) == 0 && _maxV % (c.V * 2) == 0);

        /// <summary>The blocks of a component's non-interleaved scan: ⌈width·H/(Hmax·8)⌉ × ⌈height·V/(Vmax·8)⌉.</summary>
        public int Blocks(Component c) =>
            DivideUp(width * c.H, _maxH * 8) * DivideUp(height * c.V, _maxV * 8);

        private static int DivideUp(int a, int b) => (a + b - 1) / b;
    }

    private readonly record struct Scan(byte Component, int SpectralStart)
    {
        public static Scan? Read(ReadOnlySpan<byte> segment)
        {
            if (segment.Length < 3)
            {
                return null;
            }

            var count = segment[2];
            if (count is < 1 or > 4 || segment.Length < 3 + (2 * count) + 3)
            {
                return null;
            }

            var start = segment[3 + (2 * count)];
            // An AC scan holds one component (ISO 10918-1 G.1.1.1.1); a DC scan may hold several and is always kept.
            return start > 0 && count != 1 ? null : new Scan(segment[3], start);
        }
    }

    /// <summary>Entropy-coded bits, most significant first, with a zero stuffed after every 0xFF byte.</summary>
    private sealed class BitWriter(List<byte> output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int count)
        {
            for (var bit = count - 1; bit >= 0; bit--)
            {
                _buffer = (_buffer << 1) | ((value >> bit) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        /// <summary>Pads the last byte with one bits, as the standard asks.</summary>
        public void Flush()
        {
            if (_count > 0)
            {
                Write((1 << (8 - _count)) - 1, 8 - _count);
            }
        }

        private void Emit()
        {
            output.Add((byte)_buffer);
            if (_buffer == 0xFF)
            {
                output.Add(0x00);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
