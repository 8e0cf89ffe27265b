#!/usr/bin/env python3
"""Writes the resilience bench's sources: heavy PDF pages (many stroked segments) and one-colour
Adam7-interlaced 9000x9000 PNGs (small on disk, ~243 MB when decoded)."""
import random, struct, sys, zlib, os

def pdf(path, lines, seed):
    rnd = random.Random(seed)
    content = "0.1 w\n" + "".join("%d %d m %d %d l S\n" % (rnd.randrange(612), rnd.randrange(792), rnd.randrange(612), rnd.randrange(792)) for _ in range(lines))
    content = content.encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"]
    out, offs = b"%PDF-1.4\n", []
    for i, o in enumerate(objs):
        offs.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % x
    open(path, "wb").write(out)

def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)

def png(path, w, h, rgb):
    z = zlib.compressobj(1)
    data = []
    for (x0, y0, dx, dy) in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
        cols, rows = (w - x0 + dx - 1) // dx, (h - y0 + dy - 1) // dy
        if cols > 0 and rows > 0:
            row = b"\0" + bytes(rgb) * cols
            for _ in range(rows):
                data.append(z.compress(row))
    data.append(z.flush())
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 1)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"".join(data)) + chunk(b"IEND", b""))

lib, pdfs, pngs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(lib, exist_ok=True)
for i in range(pdfs):
    pdf(os.path.join(lib, "heavy%d.pdf" % i), 300_000, i + 1)
for i in range(pngs):
    png(os.path.join(lib, "huge%02d.png" % i), 9000, 9000, (10 * i, 255 - 10 * i, 128))
