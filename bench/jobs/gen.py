#!/usr/bin/env python3
"""Writes N distinct JPEGs for the jobs bench: a few noise photos made by libvips (1200-2340 px, 3 bands, blurred noise: each decode is real work, ~200-600 KB a file), then N copies that differ by a comment segment after SOI. Every file has its own content hash, so a warm
generates one rendition per file (no content-addressed dedupe), and writing 10,000 takes seconds."""
import os, subprocess, sys

def bases(folder, count):
    out = []
    for i in range(count):
        w, h = 1200 + 60 * i, 900 + 45 * i
        path = os.path.join(folder, "base%02d.jpg" % i)
        if not os.path.exists(path):
            bands = []
            for b in range(3):
                v = "%s.%d.v" % (path, b)
                subprocess.run(["vips", "gaussnoise", v, str(w), str(h), "--mean", str(60 + 40 * b + 3 * i), "--sigma", "60"], check=True)
                bands.append(v)
            joined, blurred = path + ".j.v", path + ".b.v"
            subprocess.run(["vips", "bandjoin", " ".join(bands), joined], check=True)
            subprocess.run(["vips", "gaussblur", joined, blurred, "3"], check=True)
            subprocess.run(["vips", "jpegsave", blurred, path, "--Q", "85"], check=True)
            for v in bands + [joined, blurred]:
                os.remove(v)
        out.append(open(path, "rb").read())
    return out

def main():
    folder, n = sys.argv[1], int(sys.argv[2])
    prefix = sys.argv[3] if len(sys.argv) > 3 else "img"
    os.makedirs(folder, exist_ok=True)
    cache = os.path.join(os.path.dirname(os.path.abspath(folder)), "bases")
    os.makedirs(cache, exist_ok=True)
    photos = bases(cache, 20)
    for i in range(n):
        sub = os.path.join(folder, "%03d" % (i // 100))
        os.makedirs(sub, exist_ok=True)
        data = photos[i % len(photos)]
        note = ("%s %d" % (prefix, i)).encode()
        com = b"\xff\xfe" + (len(note) + 2).to_bytes(2, "big") + note
        with open(os.path.join(sub, "%s%05d.jpg" % (prefix, i)), "wb") as f:
            f.write(data[:2] + com + data[2:])

main()
