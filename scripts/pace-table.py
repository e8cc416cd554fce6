#!/usr/bin/env python3
"""Deterministic pace against the clock at equal median wall time (issue 17 part 4).

For each day: solve it RUNS times with `--deterministic` at the given time limit (its work is
the default half of the limit), take the median wall time W, then solve it RUNS times on the
clock with `--time-limit W` (rounded up to 0.1 s), and compare the median objectives. Also
checks that the deterministic runs gave the same bytes (schedule JSON without solver.seconds).
Solves run one after another (the solver uses both cores). Prints a markdown table with the
command, commit and date.

usage: scripts/pace-table.py [--binary PATH] [--runs N] DAY:LIMIT [DAY:LIMIT ...]
example: scripts/pace-table.py instances/small-1.json:10 instances/medium-1.json:10 \
             instances/large-1.json:60 instances/xl-1.json:60
"""
import argparse, datetime, hashlib, json, math, os, statistics, subprocess, sys, tempfile, time


def solve(binary, day, args, out):
    began = time.monotonic()
    proc = subprocess.run([binary, "solve", day, "--method", "mip", "-o", out] + args,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - began
    if proc.returncode != 0:
        sys.exit(f"solve failed ({proc.returncode}) on {day}: {proc.stderr.strip()[-300:]}")
    with open(out) as f:
        schedule = json.load(f)
    solver = schedule.get("solver") or {}
    solver.pop("seconds", None)
    digest = hashlib.sha256(json.dumps(schedule, sort_keys=True).encode()).hexdigest()[:12]
    cut = "time limit cut the deterministic search" in proc.stderr
    return wall, schedule["objective"]["total"], solver.get("status"), digest, cut


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=".build/release/infusion-scheduler")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("days", nargs="+", help="DAY.json:TIME_LIMIT")
    a = ap.parse_args()
    if not os.path.exists(a.binary):
        sys.exit(f"no binary at {a.binary}: build with `swift build -c release` first")
    work = tempfile.mkdtemp(prefix="pace-")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"- command: `{' '.join(sys.argv)}`")
    print(f"- commit: `{commit}`; date: {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs; runs one after another\n")
    print("| day | limit s | deterministic: objective (runs) | identical bytes | cut by the cap | median wall s | clock at that wall: objectives | clock median | deterministic vs clock |")
    print("|---|---:|---|---|---:|---:|---|---:|---:|")
    for spec in a.days:
        day, limit = spec.rsplit(":", 1)
        name = os.path.basename(day).removesuffix(".json")
        det = [solve(a.binary, day, ["--time-limit", limit, "--deterministic"], f"{work}/{name}.det{i}.json") for i in range(a.runs)]
        wall = statistics.median(r[0] for r in det)
        clock_limit = math.ceil(wall * 10) / 10
        clk = [solve(a.binary, day, ["--time-limit", str(clock_limit)], f"{work}/{name}.clk{i}.json") for i in range(a.runs)]
        det_obj = statistics.median(r[1] for r in det)
        clk_obj = statistics.median(r[1] for r in clk)
        diff = (det_obj - clk_obj) / max(1, abs(clk_obj)) * 100
        print(f"| {name} | {limit} | {det_obj:g} ({' / '.join(f'{r[1]:g}' for r in det)}) | "
              f"{'yes' if len({r[3] for r in det}) == 1 else 'no'} | {sum(r[4] for r in det)}/{a.runs} | {wall:.1f} | "
              f"{' / '.join(f'{r[1]:g}' for r in clk)} (limit {clock_limit:g} s) | {clk_obj:g} | {diff:+.2f} % |", flush=True)


if __name__ == "__main__":
    main()
