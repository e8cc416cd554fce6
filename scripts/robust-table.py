#!/usr/bin/env python3
"""Nominal against robust plans (issue 21 point 2): the table of BENCHMARKS.md, "Robust plans".

For every day — the --day files, then `generate --profile P --seed N` for each seed of --seeds —
it runs the built CLI:

  solve DAY --method M [--time-limit S]                 -> the nominal plan
  solve DAY --method M [--time-limit S] --robust --robust-runs R --robust-seed 1 [--quantile Q]
                                                        -> the robust plan
  validate DAY PLAN                                     (both must be valid: exit 0)
  simulate DAY PLAN --runs N --seed E --output SIM.json (both plans, the same evaluation seed)

The evaluation seed E (default 1001) is not the robust search's seed, so the plans are judged on
simulated days the search never saw. The table gives per day: the policy the robust solve chose,
patients placed, the nominal objective (SPEC §3 of the plan itself), a patient's p50 and p90 wait
and a day's p90 overtime under simulation, nominal -> robust, and the robust solve's wall time.
Means over the days close the table.

Exit 0 when every command ran; 1 when one failed (its output is shown); 2 on bad usage.

Example:
  scripts/robust-table.py --day instances/small-1.json --day instances/medium-1.json \\
      --profile medium --seeds 1-10 --method greedy --markdown table.md

Python 3 standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def seeds_of(text):
    out = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            out.extend(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


def run(cmd):
    began = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.stderr.write("failed (exit %d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr))
        sys.exit(1)
    return proc, time.monotonic() - began


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", default=".build/release/infusion-scheduler")
    p.add_argument("--day", action="append", default=[], help="a day file (repeatable)")
    p.add_argument("--profile", default="medium")
    p.add_argument("--seeds", default="", help="generated days, e.g. 1-10 (none by default)")
    p.add_argument("--method", default="greedy", choices=["greedy", "mip", "auto"])
    p.add_argument("--time-limit", type=float, default=None)
    p.add_argument("--extra", action="append", default=[], help="another solve argument for both plans (repeatable)")
    p.add_argument("--quantile", type=float, default=None)
    p.add_argument("--robust-runs", type=int, default=200)
    p.add_argument("--eval-runs", type=int, default=1000)
    p.add_argument("--eval-seed", type=int, default=1001)
    p.add_argument("--markdown", default=None, help="also write the table here")
    args = p.parse_args()
    if not os.access(args.binary, os.X_OK):
        p.error("no binary at %s: swift build -c release --product infusion-scheduler" % args.binary)
    if args.quantile is not None and not (0 < args.quantile < 1):
        p.error("--quantile must be in (0, 1)")
    work = tempfile.mkdtemp(prefix="robust-table-")
    days = [(os.path.basename(d), d) for d in args.day]
    for s in seeds_of(args.seeds):
        path = os.path.join(work, "%s-seed%d.json" % (args.profile, s))
        run([args.binary, "generate", "--profile", args.profile, "--seed", str(s), "--output", path])
        days.append(("%s seed %d" % (args.profile, s), path))
    solve = ["--method", args.method] + (["--time-limit", str(args.time_limit)] if args.time_limit else []) + args.extra
    robust = ["--robust", "--robust-runs", str(args.robust_runs), "--robust-seed", "1"]
    if args.quantile is not None:
        robust += ["--quantile", str(args.quantile)]
    rows = []
    for name, path in days:
        figures = {}
        for kind, extra in (("nominal", []), ("robust", robust)):
            plan = os.path.join(work, "plan.%s.json" % kind)
            proc, seconds = run([args.binary, "solve", path] + solve + extra + ["--output", plan])
            run([args.binary, "validate", path, plan])
            sim = os.path.join(work, "sim.%s.json" % kind)
            run([args.binary, "simulate", path, plan, "--runs", str(args.eval_runs), "--seed", str(args.eval_seed),
                 "--output", sim])
            schedule = json.load(open(plan))
            report = json.load(open(sim))
            note = (schedule.get("solver") or {}).get("note", "")
            policy = note[len("robust: "):].split(" of ")[0] if note.startswith("robust: ") else ""
            figures[kind] = dict(placed=len(schedule["appointments"]), objective=schedule["objective"]["total"],
                                 p50=report["waitMinutes"]["p50"], p90=report["waitMinutes"]["p90"],
                                 ot90=report["overtimeMinutes"]["p90"], seconds=seconds, policy=policy)
        rows.append((name, figures))
        sys.stderr.write("%s done\n" % name)

    def fmt(x):
        return ("%.1f" % x).rstrip("0").rstrip(".") if isinstance(x, float) else str(x)

    lines = ["| day | robust policy | placed | nominal objective | wait p50 (min) | wait p90 (min) | overtime p90 (min) | robust solve s |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name, f in rows:
        n, r = f["nominal"], f["robust"]
        lines.append("| %s | %s | %d → %d | %s → %s | %d → %d | %d → %d | %d → %d | %.1f |" % (
            name, r["policy"], n["placed"], r["placed"], fmt(float(n["objective"])), fmt(float(r["objective"])),
            n["p50"], r["p50"], n["p90"], r["p90"], n["ot90"], r["ot90"], r["seconds"]))
    if len(rows) > 1:
        def mean(kind, key):
            return sum(f[kind][key] for _, f in rows) / len(rows)
        lines.append("| **mean of %d days** | | %s → %s | %s → %s | %s → %s | %s → %s | %s → %s | %.1f |" % (
            len(rows), fmt(mean("nominal", "placed")), fmt(mean("robust", "placed")),
            fmt(mean("nominal", "objective")), fmt(mean("robust", "objective")),
            fmt(mean("nominal", "p50")), fmt(mean("robust", "p50")), fmt(mean("nominal", "p90")), fmt(mean("robust", "p90")),
            fmt(mean("nominal", "ot90")), fmt(mean("robust", "ot90")), mean("robust", "seconds")))
        worse = [name for name, f in rows if f["robust"]["p90"] > f["nominal"]["p90"]]
        lines.append("")
        lines.append("Days where the robust plan's simulated p90 wait is higher than the nominal plan's: %s." %
                     (", ".join(worse) if worse else "none"))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.markdown:
        open(args.markdown, "w").write(text)


if __name__ == "__main__":
    main()
