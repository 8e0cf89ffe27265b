#!/usr/bin/env python3
"""The benchmark report (issue 13, item 4). Run through bench/run, which builds and installs what this needs.

Sections, each runnable on its own (`bench/run peers`), each writing bench/results/<section>.json; every run then
assembles bench/results/latest.md and its SVG plots from whatever section files exist (each says when it was measured):
  peers   thumbnailing to `grid` with 2 workers: Tessera (native warm) against vipsthumbnail, sharp, ImageMagick,
          NetVips, SkiaSharp, ImageSharp, Magick.NET; the corpus photos and a generated set of 216 photos
  hits    cache hits against nginx (bench/hitpath/run with the native binary and WITH_NGINX=1)
  growth  warm wall and peak RSS against the number of files (100, 1k, 10k small generated images)
  scale   hit latency against index size (bench/scale/run)
"""
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WORKERS = 2
CORPUS = Path(os.environ.get("TESSERA_CORPUS", ROOT.parent / "shared" / "corpus"))
NATIVE = os.environ["BENCH_NATIVE"] if "BENCH_NATIVE" in os.environ else ""
NODE_DIR = Path(os.environ.get("BENCH_NODE_DIR", ROOT / ".build" / "bench-pixels"))
PEERS = ROOT / "bench" / "peers"
IMAGE_EXT = (".jpg", ".jpeg", ".png", ".webp")


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def loadavg():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def busy_seconds():
    f = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    v = [int(x) for x in f]
    return (v[0] + v[1] + v[2] + v[5] + v[6]) / os.sysconf("SC_CLK_TCK")


def runtime_env(command):
    out = subprocess.run([str(ROOT / "scripts" / "runtime-env"), command], capture_output=True, text=True, check=True)
    env = dict(os.environ)
    for kv in out.stdout.split():
        k, _, v = kv.partition("=")
        env[k] = v
    return env


def timed(cmd, stdin_text=None, env=None, cwd=None):
    """Runs cmd under /usr/bin/time: wall s (monotonic clock, start to reaped) and CPU s (user+sys of it and its children)
    from this script, not rounded as time prints them (its %e is in 10 ms steps, 3% of the corpus' 0.37 s; the CPU comes
    from the kernel's wait4 accounting and includes time's own ~1 ms), and peak RSS KB (the largest process) from time's
    %M (a process forked from this script would count the script's own memory: Linux carries a process' pre-exec peak)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf, tempfile.TemporaryFile("w+") as out, \
            tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", tf.name, *cmd], stdin=subprocess.PIPE if stdin_text is not None
                             else subprocess.DEVNULL, stdout=out, stderr=err, text=True, env=env, cwd=cwd)
        if stdin_text is not None:
            p.stdin.write(stdin_text)
            p.stdin.close()
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        rss = Path(tf.name).read_text().split()[-1]
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({p.returncode}): {(stderr or stdout)[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": int(rss), "stdout": stdout}


# --- the thumbnailers -------------------------------------------------------------------------------------------------
def peer_bin(name):
    return PEERS / f"{name}Peer" / "bin" / "Release" / "net10.0" / f"{name}Peer"


def split_round_robin(files, n):
    return [files[i::n] for i in range(n)]


def tool_tessera(files, out, extra_env=None):
    env = dict(runtime_env("warm"), **(extra_env or {}))
    r = timed([NATIVE, "warm", "--data", str(out / "data"), "--presets", "grid", "--parallel", str(WORKERS), *files], env=env)
    if f"warmed {len(files)}, skipped 0, failed 0" not in r["stdout"]:
        raise RuntimeError("tessera warm did not warm every file: " + r["stdout"][-500:])
    return r


def tool_tessera_vips_shrink(files, out):
    # The same, with libvips' own JPEG shrink-on-load (a factor of two kept for the resize): what the fast one trades.
    return tool_tessera(files, out, {"TESSERA__Encoding__FastShrinkOnLoad": "false"})


def tool_vipsthumbnail(files, out):
    # vipsthumbnail has no workers: two processes, each with every other file, one libvips thread each.
    script = 'for l in "$@"; do (tr "\\n" "\\0" <"$l" | xargs -0 vipsthumbnail -s 400x400 -o "$OUT/%s.webp[Q=80,effort=4,strip]") & done; wait'
    return _two_lists(files, out, script, {"VIPS_CONCURRENCY": "1"})


def tool_vipsthumbnail_one(files, out):
    # vipsthumbnail as a user types it: one process, every file, libvips' own threads (the issue's reference figure).
    (out / "o").mkdir(parents=True, exist_ok=True)
    return timed(["vipsthumbnail", "-s", "400x400", "-o", str(out / "o") + "/%s.webp[Q=80,strip]", *files])


def tool_imagemagick(files, out):
    # One convert per file (ImageMagick has no batch thumbnail mode), 2 at a time, one thread each, JPEG size hint.
    script = ('for l in "$@"; do (while IFS= read -r f; do b="${f##*/}"; /usr/bin/convert -define jpeg:size=800x800 "$f[0]" '
              '-auto-orient -thumbnail 400x400 -quality 80 "$OUT/${b%.*}.webp" || exit 1; done <"$l") & done; wait')
    return _two_lists(files, out, script, {"MAGICK_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1"})


def _two_lists(files, out, script, extra_env):
    lists = []
    for i, part in enumerate(split_round_robin(files, WORKERS)):
        lp = out / f"list{i}"
        lp.write_text("\n".join(part) + "\n")
        lists.append(str(lp))
    env = dict(os.environ, OUT=str(out / "o"), **extra_env)
    (out / "o").mkdir(parents=True, exist_ok=True)
    return timed(["bash", "-c", script, "two", *lists], env=env)


def tool_sharp(files, out):
    env = dict(os.environ, NODE_PATH=str(NODE_DIR / "node_modules"))
    return timed(["node", str(PEERS / "sharp" / "thumbs.js"), str(out / "o"), str(WORKERS)], "\n".join(files) + "\n", env)


def dotnet_peer(name):
    def run(files, out):
        return timed([str(peer_bin(name)), str(out / "o"), str(WORKERS)], "\n".join(files) + "\n",
                     dict(os.environ, DOTNET_TieredPGO="1"))
    return run


TOOLS = [
    ("Tessera (native warm)", "tessera", tool_tessera),
    ("Tessera, FastShrinkOnLoad off", "tessera_vips_shrink", tool_tessera_vips_shrink),
    ("vipsthumbnail", "vipsthumbnail", tool_vipsthumbnail),
    ("vipsthumbnail, one process", "vipsthumbnail1", tool_vipsthumbnail_one),
    ("sharp", "sharp", tool_sharp),
    ("ImageMagick", "imagemagick", tool_imagemagick),
    ("NetVips", "netvips", dotnet_peer("NetVips")),
    ("SkiaSharp", "skiasharp", dotnet_peer("SkiaSharp")),
    ("ImageSharp", "imagesharp", dotnet_peer("ImageSharp")),
    ("Magick.NET", "magicknet", dotnet_peer("MagickNet")),
]


def outputs(key, files, out):
    """Output file per input (same index), or None where there is none."""
    if key.startswith("tessera"):
        return tessera_outputs(files, out / "data")
    o = out / "o"
    if key in ("vipsthumbnail", "vipsthumbnail1", "imagemagick"):
        return [_first(o, Path(f).stem) for f in files]
    return [_exists(o / f"{i:05d}.webp") for i in range(len(files))]


def _first(folder, stem):
    p = folder / f"{stem}.webp"
    return p if p.exists() else None


def _exists(p):
    return p if p.exists() else None


def tessera_outputs(files, data):
    db = next(iter(sorted(data.glob("*.db"))), None)
    if db is None:
        return [None] * len(files)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    res = []
    for f in files:
        row = con.execute("SELECT r.key, r.ext FROM fingerprints f JOIN renditions r ON r.content_hash = f.content_hash "
                          "WHERE f.path = ? AND r.preset = 'grid'", (str(Path(f).resolve()),)).fetchone()
        p = None
        if row:
            key, ext = row
            ext = ext.lstrip(".")
            cands = list((data / "renditions").glob(f"**/{key}.{ext}"))
            p = cands[0] if cands else None
        res.append(p)
    con.close()
    return res


def vips(*args):
    subprocess.run(["vips", *args], check=True, capture_output=True)


def vheader(path, field):
    return int(subprocess.run(["vipsheader", "-f", field, str(path)], capture_output=True, text=True, check=True).stdout)


def normalise(src, w, h, dst, tmp):
    # bench/pixels' comparison: forced to the reference size, sRGB, flattened on white, 8-bit, three bands.
    vips("thumbnail", str(src), f"{tmp}/a.v", str(w), "--height", str(h), "--size", "force", "--no-rotate")
    vips("colourspace", f"{tmp}/a.v", f"{tmp}/b.v", "srgb")
    if vheader(f"{tmp}/b.v", "bands") == 4:
        vips("flatten", f"{tmp}/b.v", f"{tmp}/c.v", "--background", "255")
    else:
        vips("copy", f"{tmp}/b.v", f"{tmp}/c.v")
    vips("cast", f"{tmp}/c.v", f"{tmp}/d.v", "uchar")
    vips("extract_band", f"{tmp}/d.v", str(dst), "0", "--n", "3")


def mad(ref_norm, other, w, h, tmp):
    normalise(other, w, h, f"{tmp}/O.v", tmp)
    vips("subtract", str(ref_norm), f"{tmp}/O.v", f"{tmp}/s.v")
    vips("abs", f"{tmp}/s.v", f"{tmp}/t.v")
    return float(subprocess.run(["vips", "avg", f"{tmp}/t.v"], capture_output=True, text=True, check=True).stdout)


def make_set2(corpus_files, folder):
    """216 photos from the corpus: 9 crops/sizes of each of the 24, JPEG q90 (vips, untimed)."""
    sizes = [(3000, 2000), (2400, 1600), (2000, 1500), (1800, 1200), (1600, 900), (1200, 1200), (900, 1600),
             (1000, 750), (800, 800)]
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for f in corpus_files:
        for j, (w, h) in enumerate(sizes):
            dst = folder / f"{Path(f).stem}-{j}.jpg"
            subprocess.run(["vips", "thumbnail", f, f"{dst}[Q=90,strip]", str(w), "--height", str(h), "--crop",
                            "centre" if j % 3 == 0 else ("attention" if j % 3 == 1 else "low")], check=True,
                           capture_output=True)
            made.append(str(dst))
    return made


def largest_first(files):
    return sorted(files, key=lambda f: (-os.path.getsize(f), f))


def bench_set(label, files, diff_every, tmp_root):
    log(f"{label}: {len(files)} files, {RUNS} timed runs of {len(TOOLS)} tools, interleaved, after one untimed round")
    raw = {key: [] for _, key, _ in TOOLS}
    busy0, t0 = busy_seconds(), time.time()
    own = 0.0
    last_out = {}
    for r in range(RUNS + 1):
        for name, key, fn in TOOLS:
            out = tmp_root / f"{label}-{key}-{r}"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            subprocess.run(["sync"])
            res = fn(files, out)
            own += res["cpu"]
            outs = outputs(key, files, out)
            got = [o for o in outs if o]
            res.update(files=len(got), bytes=sum(o.stat().st_size for o in got))
            res.pop("stdout", None)
            log(f"{label} #{r} {name}: wall {res['wall']:.2f}s cpu {res['cpu']:.2f}s rss {res['rss_kb'] / 1024:.0f}MB "
                f"files {res['files']} bytes {res['bytes']}")
            if r > 0:
                raw[key].append(res)
            if key in last_out:
                shutil.rmtree(last_out[key], ignore_errors=True)
            last_out[key] = out
    elapsed = time.time() - t0
    other = max(0.0, busy_seconds() - busy0 - own)
    rows = []
    for name, key, _ in TOOLS:
        rs = raw[key]
        rows.append({"tool": name, "key": key, "runs": len(rs),
                     "wall": statistics.median(x["wall"] for x in rs), "cpu": statistics.median(x["cpu"] for x in rs),
                     "rss_mb": statistics.median(x["rss_kb"] for x in rs) / 1024,
                     "files": min(x["files"] for x in rs), "bytes": statistics.median(x["bytes"] for x in rs),
                     "raw": [{k: v for k, v in x.items()} for x in rs]})
    # Visual difference against Tessera's output of the last run, every diff_every-th file.
    log(f"{label}: visual difference against Tessera (every {diff_every}. file)")
    touts = outputs("tessera", files, last_out["tessera"])
    peer_outs = {key: outputs(key, files, last_out[key]) for _, key, _ in TOOLS if key != "tessera"}
    diffs = {key: [] for key in peer_outs}
    ntmp = tmp_root / "n"
    ntmp.mkdir(exist_ok=True)
    for i in range(0, len(files), diff_every):
        t = touts[i]
        if t is None:
            continue
        w, h = vheader(t, "width"), vheader(t, "height")
        normalise(t, w, h, f"{ntmp}/T.v", ntmp)
        for key, outs in peer_outs.items():
            if outs[i] is not None:
                try:
                    diffs[key].append(mad(f"{ntmp}/T.v", outs[i], w, h, ntmp))
                except subprocess.CalledProcessError:
                    pass
    for row in rows:
        d = diffs.get(row["key"])
        row["mad_mean"] = statistics.mean(d) if d else None
        row["mad_max"] = max(d) if d else None
        row["mad_n"] = len(d) if d else 0
    for out in last_out.values():
        shutil.rmtree(out, ignore_errors=True)
    return {"label": label, "n": len(files), "input_bytes": sum(os.path.getsize(f) for f in files), "rows": rows,
            "elapsed_s": elapsed, "other_cpu_pct": 100 * other / (elapsed * os.cpu_count())}


def section_peers():
    tmp = Path(tempfile.mkdtemp(prefix="tessera-report."))
    try:
        corpus = largest_first([str(p) for p in sorted((CORPUS / "photos").iterdir()) if p.suffix.lower() in IMAGE_EXT])
        set2 = largest_first(make_set2(corpus, tmp / "set2"))
        load0 = loadavg()
        sets = [bench_set("corpus", corpus, 1, tmp), bench_set("set2", set2, 9, tmp)]
        return {"when": now(), "runs": RUNS, "workers": WORKERS, "load_before": load0, "load_after": loadavg(),
                "versions": versions(), "sets": sets}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def versions():
    def sh(cmd):
        try:
            return subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=60).stdout.strip()
        except Exception:  # noqa: BLE001 - a version we cannot read is reported empty
            return ""
    return {
        "vipsthumbnail": sh("vips --version"),
        "sharp": sh(f"NODE_PATH={NODE_DIR}/node_modules node -e \"const s=require('sharp');"
                    "process.stdout.write(s.versions.sharp+' (libvips '+s.versions.vips+')')\""),
        "imagemagick": sh("/usr/bin/convert -version | head -1 | awk '{print $3}'"),
        "netvips": "NetVips 3.2.0 + NetVips.Native 8.18.7", "skiasharp": "SkiaSharp 4.155.0",
        "imagesharp": "SixLabors.ImageSharp 2.1.13", "magicknet": "Magick.NET-Q8-x64 15.1.0",
        "tessera": sh(f"cd {ROOT} && git rev-parse --short HEAD") + " (NativeAOT)",
    }


# --- hits ---------------------------------------------------------------------------------------------------------------
def section_hits():
    secs = os.environ.get("BENCH_HTTP_SECS", "10")
    runs = int(os.environ.get("BENCH_HIT_RUNS", "3"))
    load0 = loadavg()
    def parse(b):
        rps = re.search(r"Requests/sec:\s+([\d.]+)", b)
        p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", b, re.M)
        non2 = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", b)
        unit = {"us": 0.001, "ms": 1, "s": 1000}
        if not rps:
            return None
        return {"rps": float(rps.group(1)), "p99_ms": float(p99.group(1)) * unit[p99.group(2)] if p99 else None,
                "non2xx": int(non2.group(1)) if non2 else 0}
    results, per_hit = [], []
    for i in range(runs):  # each run: a fresh library and server, restarted, then nginx on the same bytes
        log(f"hits: run {i + 1} of {runs}")
        p = subprocess.run([str(ROOT / "bench" / "hitpath" / "run")], capture_output=True, text=True,
                           env=dict(os.environ, NATIVE=NATIVE, WITH_NGINX="1", SECS=secs, N="500"), cwd=ROOT)
        if p.returncode != 0:
            raise RuntimeError("bench/hitpath/run failed: " + p.stderr[-2000:])
        text = p.stdout
        def block(name):
            m = re.search(r"^== " + re.escape(name) + r"\b.*?(?=^== |\Z)", text, re.M | re.S)
            return m.group(0) if m else ""
        results.append({"when": now(), "tessera_first": parse(block("wrk first second")), "tessera": parse(block("wrk steady")),
                        "nginx_first": parse(block("nginx first second")), "nginx": parse(block("nginx steady"))})
        per_hit = per_hit or re.findall(r"^(\S+)\s+([\d.]+) per hit$", text, re.M)
    def median_of(key):  # the median of each figure over the runs; ratios are taken run by run (same window)
        rows = [r[key] for r in results if r.get(key)]
        if not rows:
            return None
        return {k: statistics.median(r[k] for r in rows if r.get(k) is not None) for k in ("rps", "p99_ms", "non2xx")}
    for r in results:
        for t, n in (("tessera_first", "nginx_first"), ("tessera", "nginx")):
            if r.get(t) and r.get(n):
                r[t]["ratio"] = r[t]["rps"] / r[n]["rps"]
    summary = {k: median_of(k) for k in ("tessera_first", "tessera", "nginx_first", "nginx")}
    for t in ("tessera_first", "tessera"):
        ratios = [r[t]["ratio"] for r in results if r.get(t) and "ratio" in r[t]]
        if summary[t] and ratios:
            summary[t]["ratio"] = statistics.median(ratios)
    return {"when": now(), "secs": int(secs), "load_before": load0, "load_after": loadavg(), "runs": results, **summary,
            "syscalls_per_hit": {k: float(v) for k, v in per_hit}}


# --- growth -------------------------------------------------------------------------------------------------------------
def section_growth():
    counts = [int(x) for x in os.environ.get("BENCH_GROWTH", "100,1000,10000").split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="tessera-growth."))
    try:
        log("growth: 100 small base images (640 px, from the corpus), then distinct copies (a trailing byte run)")
        corpus = sorted(str(p) for p in (CORPUS / "photos").iterdir() if p.suffix.lower() in IMAGE_EXT)
        base = []
        for i in range(100):
            dst = tmp / f"base{i}.jpg"
            subprocess.run(["vips", "thumbnail", corpus[i % len(corpus)], f"{dst}[Q=85,strip]", str(480 + (i * 7) % 320),
                            "--crop", ["centre", "attention", "low", "high"][i % 4]], check=True, capture_output=True)
            base.append(dst.read_bytes())
        rows = []
        load0 = loadavg()
        for n in counts:
            folder = tmp / f"files{n}"
            folder.mkdir()
            for i in range(n):
                # Bytes after the JPEG end marker are ignored by decoders but give every file its own content id.
                (folder / f"{i // 100:03d}" ).mkdir(exist_ok=True)
                (folder / f"{i // 100:03d}" / f"{i:05d}.jpg").write_bytes(base[i % 100] + i.to_bytes(4, "big"))
            r = timed([NATIVE, "warm", "--data", str(tmp / f"data{n}"), "--presets", "grid", "--parallel", str(WORKERS),
                       str(folder)], env=runtime_env("warm"))
            ok = f"warmed {n}, skipped 0, failed 0" in r["stdout"]
            log(f"growth {n}: wall {r['wall']:.1f}s cpu {r['cpu']:.1f}s rss {r['rss_kb'] / 1024:.0f}MB ok={ok}")
            rows.append({"files": n, "wall": r["wall"], "cpu": r["cpu"], "rss_mb": r["rss_kb"] / 1024, "ok": ok,
                         "last_line": r["stdout"].strip().splitlines()[-1] if r["stdout"].strip() else ""})
            shutil.rmtree(folder)
            shutil.rmtree(tmp / f"data{n}", ignore_errors=True)
        return {"when": now(), "load_before": load0, "load_after": loadavg(), "rows": rows}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- scale --------------------------------------------------------------------------------------------------------------
def section_scale():
    sizes = os.environ.get("BENCH_SCALE_SIZES", "10000,100000,1000000")
    out = Path(tempfile.mkdtemp(prefix="tessera-scale-report.")) / "RESULTS.md"
    load0 = loadavg()
    p = subprocess.run([str(ROOT / "bench" / "scale" / "run")], capture_output=True, text=True,
                       env=dict(os.environ, SCALE_SIZES=sizes, SCALE_OUT=str(out)), cwd=ROOT)
    text = out.read_text() if out.exists() else ""
    shutil.rmtree(out.parent, ignore_errors=True)
    rows = []
    for size, p99 in re.findall(r"\| hit p99 ≤ 1 ms at (\S+) \| ([\d.]+) ms", text):
        if all(r["size"] != size for r in rows):
            rows.append({"size": size, "p99_ms": float(p99)})
    return {"when": now(), "exit": p.returncode, "sizes": sizes, "load_before": load0, "load_after": loadavg(),
            "rows": rows, "verdicts": list(dict.fromkeys(l for l in text.splitlines() if l.startswith("| ") and ("hit p99" in l or "start-up" in l)))}


# --- SVG plots (drawn here, no plotting library) ------------------------------------------------------------------------
def svg_bars(path, title, groups, series, unit):
    """groups: list of labels; series: list of (name, [values per group]). Horizontal grouped bars."""
    colours = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"]
    bar_h, gap, left, width = 14, 10, 170, 460
    vmax = max([v for _, vs in series for v in vs if v is not None] + [1e-9])
    height = 50 + len(groups) * (len(series) * bar_h + gap) + 20 * len(series)
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 90}" height="{height}" font-family="sans-serif" font-size="11">',
         f'<text x="10" y="18" font-size="13" font-weight="bold">{esc(title)}</text>']
    y = 34
    for gi, g in enumerate(groups):
        o.append(f'<text x="{left - 6}" y="{y + len(series) * bar_h / 2 + 4}" text-anchor="end">{esc(g)}</text>')
        for si, (_, vs) in enumerate(series):
            v = vs[gi]
            if v is not None:
                w = width * v / vmax
                o.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{colours[si % len(colours)]}"/>')
                o.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 4}">{v:.3g} {unit}</text>')
            y += bar_h
        y += gap
    for si, (name, _) in enumerate(series):
        o.append(f'<rect x="{left}" y="{y + 20 * si}" width="12" height="12" fill="{colours[si % len(colours)]}"/>'
                 f'<text x="{left + 18}" y="{y + 20 * si + 10}">{esc(name)}</text>')
    o.append("</svg>")
    path.write_text("\n".join(o) + "\n")


def svg_lines(path, title, xs, series, xlabel, ylabels):
    """Log-scale x; one or two y axes (series: (name, values, axis 0|1))."""
    import math
    colours = ["#4e79a7", "#e15759", "#59a14f"]
    left, right, top, h, w = 60, 60, 30, 220, 420
    lx = [math.log10(x) for x in xs]
    x0, x1 = min(lx), max(lx) if max(lx) > min(lx) else min(lx) + 1
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + w + right}" height="{top + h + 70}" font-family="sans-serif" font-size="11">',
         f'<text x="10" y="18" font-size="13" font-weight="bold">{esc(title)}</text>',
         f'<line x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}" stroke="#333"/>',
         f'<text x="{left + w / 2}" y="{top + h + 32}" text-anchor="middle">{esc(xlabel)}</text>']
    for x, l in zip(xs, lx):
        px = left + w * (l - x0) / (x1 - x0)
        o.append(f'<text x="{px:.1f}" y="{top + h + 14}" text-anchor="middle">{x:,}</text>')
    for axis in (0, 1):
        vals = [v for _, vs, a in series if a == axis for v in vs if v is not None]
        if not vals:
            continue
        vmax = max(vals) * 1.1 or 1
        ax = left if axis == 0 else left + w
        o.append(f'<line x1="{ax}" y1="{top}" x2="{ax}" y2="{top + h}" stroke="#333"/>')
        for k in range(5):
            v = vmax * k / 4
            py = top + h - h * k / 4
            o.append(f'<text x="{ax - 4 if axis == 0 else ax + 4}" y="{py + 4:.1f}" text-anchor="{"end" if axis == 0 else "start"}">{v:.3g}</text>')
        o.append(f'<text x="{ax}" y="{top - 6}" text-anchor="middle">{esc(ylabels[axis])}</text>')
        for si, (name, vs, a) in enumerate(series):
            if a != axis:
                continue
            pts = [(left + w * (l - x0) / (x1 - x0), top + h - h * v / vmax) for l, v in zip(lx, vs) if v is not None]
            o.append(f'<polyline fill="none" stroke="{colours[si]}" stroke-width="2" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in pts)}"/>')
            o.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colours[si]}"/>' for x, y in pts)
    for si, (name, _, a) in enumerate(series):
        o.append(f'<rect x="{left + 150 * si}" y="{top + h + 44}" width="12" height="12" fill="{colours[si]}"/>'
                 f'<text x="{left + 150 * si + 18}" y="{top + h + 54}">{esc(name)} ({"left" if a == 0 else "right"})</text>')
    o.append("</svg>")
    path.write_text("\n".join(o) + "\n")


def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- the report ---------------------------------------------------------------------------------------------------------
def load(section):
    p = RESULTS / f"{section}.json"
    return json.loads(p.read_text()) if p.exists() else None


def fmt(v, f="{:.2f}"):
    return "–" if v is None else f.format(v)


def assemble():
    md = ["# Tessera benchmark report", "",
          f"Assembled by `bench/run` on {now()}. Machine: {os.cpu_count()} cores "
          f"({cpu_model()}), {mem_gib():.1f} GiB RAM, {os.uname().sysname} {os.uname().release}. "
          "The machine is shared: other engineers' builds and tests may run meanwhile; each section gives the load "
          "average before and after it, and the thumbnailing sections the share of the machine other processes used "
          "while they ran. Each section below says when it was measured; a missing section was not run "
          "(`bench/run SECTION` runs one).", ""]
    peers = load("peers")
    if peers:
        v = peers["versions"]
        md += [f"## Thumbnailing to `grid` with {peers['workers']} workers", "",
               f"Measured {peers['when']}; load average {peers['load_before']} before, {peers['load_after']} after. "
               f"Median of {peers['runs']} timed runs per tool (after one untimed round), tools interleaved; every tool "
               "gets the same files in the same order (largest first, Tessera's own order) and 2 workers with one "
               "thread each: fit inside 400x400, EXIF orientation applied, WebP quality 80.", "",
               "- **Tessera**: the NativeAOT `tessera warm --presets grid --parallel 2 FILES…`, a fresh data folder per run "
               f"(so hashing, the index and the files on disk are in its figures); {v.get('tessera', '')}. Its WebP "
               "encoder runs at effort 2 (`Encoding:WebPEffort`, the default since this report), every other WebP tool "
               "at libvips' and libwebp's default 4: on the corpus photos that is 11% less CPU for about 3% more "
               "bytes and 0.25 dB less PSNR (the bytes and MAD columns below show it). A large JPEG is decoded at the "
               "smallest DCT scale that still covers the box (`Encoding:FastShrinkOnLoad`, on by default, as sharp's "
               "`fastShrinkOnLoad`), where libvips' thumbnail keeps a factor of two for the resize; a progressive JPEG "
               "decoded at 1/8 skips the AC scans that scale never reads (`Engine/EighthScaleJpeg.cs`: the same pixels).",
               "- **Tessera, FastShrinkOnLoad off**: the same with `TESSERA__Encoding__FastShrinkOnLoad=false`, libvips' own "
               "JPEG decode scale: its CPU and MAD against the row above are what the fast decode saves and changes (its CPU "
               "includes the progressive JPEGs' lean 1/8 decode, which needs the fast scale; that part changes no pixel).",
               f"- **vipsthumbnail** {v.get('vipsthumbnail', '')}: two processes (every other file each), `VIPS_CONCURRENCY=1`, "
               "`-s 400x400 -o %s.webp[Q=80,effort=4,strip]`.",
               "- **vipsthumbnail, one process**: `vipsthumbnail -s 400x400 -o %s.webp[Q=80,strip] FILES…` as one types it, "
               "libvips' own threads: the reference of the targets (warm CPU ≤ 1.05× its CPU, wall ≤ 0.6× its wall).",
               f"- **sharp** {v.get('sharp', '')}: `bench/peers/sharp/thumbs.js`, two files in flight, `sharp.concurrency(1)`.",
               f"- **ImageMagick** {v.get('imagemagick', '')}: one `convert -define jpeg:size=800x800 F[0] -auto-orient "
               "-thumbnail 400x400 -quality 80` per file, two at a time, `MAGICK_THREAD_LIMIT=1`.",
               f"- **NetVips** ({v.get('netvips', '')}), **SkiaSharp** ({v.get('skiasharp', '')}), **ImageSharp** "
               f"({v.get('imagesharp', '')}), **Magick.NET** ({v.get('magicknet', '')}): the programs in `bench/peers/` "
               "(JIT, Release), two threads taking the next file in order.", "",
               "Wall (monotonic clock, start to exit) and CPU (user+sys, the process and its children) and peak RSS (the "
               "largest single process) under `/usr/bin/time`: wall and CPU measured by the script (monotonic clock; the "
               "kernel's `wait4` accounting), not rounded to 10 ms as `time` prints them, RSS from `time`; for the two-process tools (vipsthumbnail, ImageMagick) the RSS is one process's. "
               "Bytes: all outputs (Tessera's are its cached renditions). "
               "**MAD**: mean absolute difference per channel (0-255) from Tessera's output of the same file, both "
               "resized to Tessera's size, flattened on white, 8-bit sRGB (bench/pixels' method); resampling alone gives "
               "about 1-3, so a much larger figure means that tool's thumbnail looks different.", ""]
        for s in peers["sets"]:
            t = next(r for r in s["rows"] if r["key"] == "tessera")
            name = "The corpus photos" if s["label"] == "corpus" else "Generated set (9 crops/sizes of each corpus photo, JPEG q90)"
            md += [f"### {name}: {s['n']} files, {s['input_bytes'] / 1e6:.1f} MB", "",
                   f"Other processes used {s['other_cpu_pct']:.0f}% of the machine while this set ran ({s['elapsed_s']:.0f} s).", "",
                   "| tool | wall s | × Tessera | CPU s | × Tessera | peak RSS MB | outputs | bytes | MAD mean (max) |",
                   "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
            for r in s["rows"]:
                madc = "reference" if r["key"] == "tessera" else (
                    f"{r['mad_mean']:.1f} ({r['mad_max']:.1f}), {r['mad_n']} files" if r["mad_mean"] is not None else "–")
                md.append(f"| {r['tool']} | {r['wall']:.2f} | {r['wall'] / t['wall']:.2f} | {r['cpu']:.2f} | "
                          f"{r['cpu'] / t['cpu']:.2f} | {r['rss_mb']:.0f} | {r['files']}/{s['n']} | {r['bytes']:,.0f} | {madc} |")
            one = next((r for r in s["rows"] if r["key"] == "vipsthumbnail1"), None)
            if one:
                md += ["", f"Targets against `vipsthumbnail` run as one process: Tessera's CPU {t['cpu']:.3f} s is "
                       f"{t['cpu'] / one['cpu']:.3f}× its {one['cpu']:.3f} s (target ≤ 1.05×), Tessera's wall {t['wall']:.3f} s "
                       f"is {t['wall'] / one['wall']:.3f}× its {one['wall']:.3f} s (target ≤ 0.6×)."]
            md += ["", f"![wall and CPU, {s['label']}](peers-{s['label']}.svg)", ""]
            svg_bars(RESULTS / f"peers-{s['label']}.svg", f"{s['n']} files to grid, 2 workers: median wall and CPU (s)",
                     [r["tool"] for r in s["rows"]], [("wall", [r["wall"] for r in s["rows"]]), ("CPU", [r["cpu"] for r in s["rows"]])], "s")
    hits = load("hits")
    if hits:
        tf, t = hits.get("tessera_first") or {}, hits.get("tessera") or {}
        nf, n = hits.get("nginx_first") or {}, hits.get("nginx") or {}
        def row(name, r, ref):
            ratio = r.get("ratio") or (r["rps"] / ref["rps"] if r.get("rps") and ref.get("rps") else None)
            return f"| {name} | {fmt(r.get('rps'), '{:,.0f}')} | {fmt(ratio)} | {fmt(r.get('p99_ms'))} | {r.get('non2xx', '–')} |"
        runs = hits.get("runs") or []
        md += ["## Cache hits against nginx", "",
               f"Measured {hits['when']}; load average {hits['load_before']} before, {hits['load_after']} after. "
               f"`bench/hitpath/run` with `NATIVE=` the native binary and `WITH_NGINX=1`: 11 corpus photos two folders "
               "deep, each made once; the server is then stopped and started again on the same data folder, and "
               "`wrk -t2 -c64 --latency` runs over the 11 `/t/` URLs the moment it answers its health check, with no "
               f"warm-up: its first second (`-d1s`, whose first hits read and check the files from disk), then "
               f"`-d{hits['secs']}s` straight after. Then nginx (`sendfile on`, `access_log off`) serving the very bytes "
               "served, measured the same way. wrk and the servers share the 2 cores; the target is ≥ 0.7× nginx's "
               f"requests/s with p99 ≤ 5 ms from the first second. {len(runs) or 1} runs, each on a fresh library and "
               "server; the table gives the median of each figure, the ratio being the median of each run's own ratio "
               "(Tessera and nginx measured a minute apart at most). This machine's hit throughput moves by 20-30% "
               "from one minute to the next, Tessera's more than nginx's, so the runs are listed below it.", "",
               "| server | requests/s | × nginx (same window) | p99 ms | non-2xx |", "|---|--:|--:|--:|--:|",
               row("Tessera (native), first second", tf, nf), row("nginx, first second", nf, nf),
               row(f"Tessera (native), next {hits['secs']} s", t, n), row(f"nginx, next {hits['secs']} s", n, n), ""]
        if runs:
            md += ["| run | Tessera first second (p99) | nginx first second (p99) | × | Tessera next "
                   f"{hits['secs']} s (p99) | nginx (p99) | × |", "|---|--:|--:|--:|--:|--:|--:|"]
            for i, r in enumerate(runs, 1):
                a, b, c, d = (r.get(k) or {} for k in ("tessera_first", "nginx_first", "tessera", "nginx"))
                cell = lambda x: f"{fmt(x.get('rps'), '{:,.0f}')} ({fmt(x.get('p99_ms'))} ms)"
                md.append(f"| {i}, {r['when']} | {cell(a)} | {cell(b)} | {fmt(a.get('ratio'))} | {cell(c)} | {cell(d)} | {fmt(c.get('ratio'))} |")
            md.append("")
        if hits["syscalls_per_hit"]:
            md += ["File and descriptor system calls per memory hit (strace -c over 1,000 hits of one URL on one "
                   "keep-alive connection): " +
                   ", ".join(f"`{k}` {v:.2f}" for k, v in hits["syscalls_per_hit"].items() if k != "total") + ".", ""]
        if n.get("rps") and t.get("rps"):
            svg_bars(RESULTS / "hits.svg", "Cache hits, wrk -t2 -c64: requests/s",
                     ["first second", f"next {hits['secs']} s"],
                     [("Tessera (native)", [tf.get("rps") or 0, t["rps"]]), ("nginx", [nf.get("rps") or 0, n["rps"]])], "")
            md += ["![hits](hits.svg)", ""]
    growth = load("growth")
    if growth:
        md += ["## How warm cost grows with the number of files", "",
               f"Measured {growth['when']}; load average {growth['load_before']} before, {growth['load_after']} after. "
               "One native `tessera warm --presets grid --parallel 2 FOLDER` per count into a fresh data folder; files are "
               "100 small JPEGs (480-800 px, made from the corpus by vips) repeated with a distinct trailing byte run, so "
               "each file has its own content id and is decoded and encoded. One run per count.", "",
               "| files | wall s | ms per file | CPU s | peak RSS MB | warm said |", "|--:|--:|--:|--:|--:|---|"]
        for r in growth["rows"]:
            md.append(f"| {r['files']:,} | {r['wall']:.1f} | {1000 * r['wall'] / r['files']:.1f} | {r['cpu']:.1f} | "
                      f"{r['rss_mb']:.0f} | {esc(r['last_line'])} |")
        svg_lines(RESULTS / "growth.svg", "Warm: wall and peak RSS against files", [r["files"] for r in growth["rows"]],
                  [("wall s", [r["wall"] for r in growth["rows"]], 0), ("peak RSS MB", [r["rss_mb"] for r in growth["rows"]], 1)],
                  "files (log scale)", ("wall s", "RSS MB"))
        md += ["", "![growth](growth.svg)", ""]
    scale = load("scale")
    if scale:
        md += ["## Hit latency against index size", "",
               f"Measured {scale['when']} by `bench/scale/run` (SCALE_SIZES={scale['sizes']}, exit {scale['exit']}); load "
               f"average {scale['load_before']} before, {scale['load_after']} after. In-process hit lookups on synthetic "
               "indexes; see bench/scale/README.md.", ""]
        md += ["| target | measured | result |", "|---|---|---|"] + scale["verdicts"] + [""]
        if len(scale["rows"]) >= 2:
            sizes = [int(float(s.lower().replace("k", "e3").replace("m", "e6"))) for s in (r["size"] for r in scale["rows"])]
            svg_lines(RESULTS / "scale.svg", "Hit p99 against index size", sizes,
                      [("hit p99 ms", [r["p99_ms"] for r in scale["rows"]], 0)], "renditions in the index (log scale)", ("ms", ""))
            md += ["![scale](scale.svg)", ""]
    (RESULTS / "latest.md").write_text("\n".join(md) + "\n")
    log(f"wrote {RESULTS / 'latest.md'}")


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def mem_gib():
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            return int(line.split()[1]) / 1048576
    return 0


SECTIONS = {"peers": section_peers, "hits": section_hits, "growth": section_growth, "scale": section_scale}


def main():
    wanted = sys.argv[1:] or list(SECTIONS)
    if wanted == ["assemble"]:
        wanted = []
    unknown = [w for w in wanted if w not in SECTIONS]
    if unknown:
        print(f"usage: bench/run [{'|'.join(SECTIONS)}|assemble]…", file=sys.stderr)
        return 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    failed = []
    for w in wanted:
        log(f"section {w}")
        try:
            (RESULTS / f"{w}.json").write_text(json.dumps(SECTIONS[w](), indent=1) + "\n")
        except Exception as e:  # noqa: BLE001 - one section failing must not lose the others
            log(f"section {w} failed: {e}")
            failed.append(w)
    assemble()
    print((RESULTS / "latest.md").read_text())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
