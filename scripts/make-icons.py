"""Draws the add-in icons (a small Pareto bar chart) as PNGs with only the standard library.
Run: python3 scripts/make-icons.py  (writes assets/icon-{16,32,64,80}.png)"""
import struct, zlib, pathlib

BG = (0x0F, 0x6C, 0xBD)      # Office blue
BAR = (0xFF, 0xFF, 0xFF)
LINE = (0xFF, 0xC8, 0x3D)
BARS = [0.92, 0.55, 0.32, 0.18, 0.10]  # falling values, as in a Pareto chart

def png(size):
    px = [[BG for _ in range(size)] for _ in range(size)]
    pad = max(1, size // 8)
    width = size - 2 * pad
    bw = width / len(BARS)
    for i, h in enumerate(BARS):
        x0 = int(pad + i * bw + bw * 0.15); x1 = int(pad + (i + 1) * bw - bw * 0.15)
        top = int(size - pad - h * (size - 2 * pad))
        for y in range(top, size - pad):
            for x in range(x0, max(x1, x0 + 1)):
                px[y][x] = BAR
    # cumulative-share line across the top
    cum = 0; total = sum(BARS); prev = None
    for i, h in enumerate(BARS):
        cum += h
        x = int(pad + (i + 0.5) * bw); y = int(size - pad - (cum / total) * (size - 2 * pad))
        if prev:
            (px0, py0) = prev
            steps = max(abs(x - px0), abs(y - py0), 1)
            for s in range(steps + 1):
                xx = round(px0 + (x - px0) * s / steps); yy = round(py0 + (y - py0) * s / steps)
                for t in range(max(1, size // 32)):
                    if 0 <= yy + t < size: px[yy + t][xx] = LINE
        prev = (x, max(0, y))
    raw = b"".join(b"\x00" + bytes(c for p in row for c in p) for row in px)
    chunk = lambda tag, data: struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

out = pathlib.Path(__file__).resolve().parent.parent / "assets"
for s in (16, 32, 64, 80):
    (out / f"icon-{s}.png").write_bytes(png(s))
