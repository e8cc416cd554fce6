#!/usr/bin/env python3
"""Batch booking: first-fit against the day-assignment program, on generated horizons.

For each horizon spec (profile:weeks:courses:seed) it writes the horizon with
`generate-horizon ... --load LOAD`, books it with `book --method firstfit` and with
`book --method mip --time-limit LIMIT`, checks both with `validate-bookings`, and prints one
markdown row per horizon: courses booked, total delay (sum over booked courses of first visit
date minus the course's earliest date, in days), the objective with its terms, the wall seconds
of the whole process, and the program's bound, gap and note. Runs one process at a time.

    scripts/batch-table.py [--binary PATH] [--load 0.6] [--time-limit 60] SPEC...
    e.g. scripts/batch-table.py small:4:40:1 small:4:40:2 medium:8:150:1

Exit status 1 when a booking fails validation or a command fails; the table is printed anyway.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time


def run(cmd):
    began = time.monotonic()
    result = subprocess.run(cmd, capture_output=True, text=True)
    return result, time.monotonic() - began


def delay_days(horizon, bookings):
    earliest = {c["id"]: c["earliest"] for c in horizon["courses"]}
    total = 0
    for b in bookings["bookings"]:
        first = min(v["date"] for v in b["visits"])
        d0 = datetime.date.fromisoformat(earliest[b["course"]])
        total += (datetime.date.fromisoformat(first) - d0).days
    return total


def terms(objective):
    return "{:.0f} ({:.0f}/{:.0f}/{:.0f}/{:.0f})".format(
        objective["total"], objective["unbooked"], objective["delay"], objective["offset"],
        objective["overtime"] + objective["preference"])


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", default=".build/release/infusion-scheduler")
    p.add_argument("--load", default="0.6")
    p.add_argument("--time-limit", default="60")
    p.add_argument("specs", nargs="+")
    args = p.parse_args(argv)
    failed = False
    print("| horizon | first-fit booked | delay (days) | objective (terms) | s | mip booked | delay (days) "
          "| objective (terms) | s | bound, gap | note |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.specs:
            profile, weeks, courses, seed = spec.split(":")
            h = os.path.join(tmp, f"h-{profile}-{weeks}-{courses}-{seed}.json")
            gen, _ = run([args.binary, "generate-horizon", "--profile", profile, "--weeks", weeks, "--courses", courses,
                          "--load", args.load, "--seed", seed, "-o", h])
            if gen.returncode != 0:
                print(f"| {spec} | generate-horizon failed: {gen.stderr.strip()} |")
                failed = True
                continue
            horizon = json.load(open(h))
            cells = [f"{profile} {weeks} w, {courses} courses, seed {seed}"]
            solver = {}
            for method in ["firstfit", "mip"]:
                out = os.path.join(tmp, f"{method}.json")
                book, seconds = run([args.binary, "book", h, "--method", method, "--time-limit", args.time_limit, "-o", out])
                if book.returncode != 0:
                    cells += [f"book failed ({book.returncode})", "", "", ""]
                    failed = True
                    continue
                check, _ = run([args.binary, "validate-bookings", h, out])
                if check.returncode != 0:
                    failed = True
                b = json.load(open(out))
                valid = "" if check.returncode == 0 else " INVALID"
                cells += [f"{len(b['bookings'])}{valid}", str(delay_days(horizon, b)), terms(b["objective"]), f"{seconds:.2f}"]
                solver = b.get("solver", {})
            bound = solver.get("bound")
            gap = solver.get("gap")
            cells.append("" if bound is None else f"{bound:.0f}, {100 * gap:.1f} %")
            cells.append(solver.get("note", ""))
            print("| " + " | ".join(cells) + " |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
