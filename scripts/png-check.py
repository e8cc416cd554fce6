#!/usr/bin/env python3
"""Fails when a PNG screenshot is blank: decodes it with the standard library only
(zlib plus the PNG row filters) and counts the colours of sampled pixels.

usage: png-check.py FILE.png [--min-colours N] [--min-ink FRACTION]

Exit 0 when the picture has at least N distinct colours (default 8) and at least FRACTION
(default 0.01) of the sampled pixels differ from the most common colour; 1 otherwise;
2 when the file is not a PNG this script can read.
"""
import struct
import sys
import zlib


def decode(path):
    """Returns (width, height, channels, rows) with rows as lists of bytes, filters undone."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError("no IHDR chunk")
    width, height, depth, colour_type, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
    if depth != 8 or channels is None or interlace != 0:
        raise ValueError("unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, colour_type, interlace))
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + predictor) & 0xFF
        elif kind != 0:
            raise ValueError("bad filter type %d in row %d" % (kind, y))
        rows.append(line)
        previous = line
    return width, height, channels, rows


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path, min_colours, min_ink = argv[1], 8, 0.01
    args = argv[2:]
    while args:
        if args[0] == "--min-colours" and len(args) > 1:
            min_colours, args = int(args[1]), args[2:]
        elif args[0] == "--min-ink" and len(args) > 1:
            min_ink, args = float(args[1]), args[2:]
        else:
            print("unknown argument %s" % args[0], file=sys.stderr)
            return 2
    try:
        width, height, channels, rows = decode(path)
    except (OSError, ValueError, zlib.error) as error:
        print("png-check: %s: %s" % (path, error), file=sys.stderr)
        return 2
    counts = {}
    step_y, step_x = max(1, height // 300), max(1, width // 300)
    for y in range(0, height, step_y):
        row = rows[y]
        for x in range(0, width, step_x):
            pixel = bytes(row[x * channels:(x + 1) * channels])
            counts[pixel] = counts.get(pixel, 0) + 1
    total = sum(counts.values())
    ink = 1 - max(counts.values()) / total if total else 0
    print("png-check: %s: %dx%d, %d colours in %d sampled pixels, %.1f %% ink"
          % (path, width, height, len(counts), total, ink * 100))
    if len(counts) < min_colours or ink < min_ink:
        print("png-check: %s looks blank (needs %d colours and %.1f %% ink)" % (path, min_colours, min_ink * 100),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
