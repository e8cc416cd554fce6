#!/usr/bin/env python3
"""Run-to-run robustness of `infusion-scheduler solve` (issue 17, part 3).

Generates days with the CLI's `generate` subcommand (one per seed of --seeds, profile
--profile), adds any --day files, and solves every day --runs times with
`solve DAY --method mip --time-limit S -o OUT.json [--solve-arg ...]`, strictly one run after
another (the solver uses every core, so runs are never in parallel). Then prints a markdown
table, one row per day, and a summary, ready to paste into BENCHMARKS.md:

  - best: the lowest objective.total among the day's runs;
  - a run is good when solver.status is "optimal" or (objective - best) <= 1 % of max(1, |best|);
  - a left-out regression is a request id that one run of the day placed (appointments[].request)
    and another run of the same day did not;
  - admissible left out: per run, the unscheduled entries with reason "capacity" (admissible,
    but not placed), which a left-out regression misses when every run leaves the same one out;
  - distinct outputs: the number of different schedules among the day's runs, compared on the
    schedule JSON without solver.seconds (1 means the runs were byte-identical but for time);
  - wall time is measured here around the whole `solve` process.

A run whose `solve` exits non-zero (or writes no readable schedule, or overruns the hard
kill-after limit) is a failed run: it shows in the table as `exit N` and is not good. The
script exits 0 whenever it ran, whatever the figures; 1 when the binary is missing, a day cannot
be generated or read, or a solve crashed (was killed by a signal) -- the table is still printed
first; 2 on bad usage; 130 when interrupted (the days finished so far are still printed).

Examples:
  scripts/robustness-table.py --seeds 101-130 --day ../shared/cases/small-left-out.day.json
  scripts/robustness-table.py --profile medium --seeds 201-210 --time-limit 30
  scripts/robustness-table.py --seeds 101-130 --solve-arg=--deterministic --markdown table.md

Python 3 standard library only.
"""
import argparse
import datetime
import hashlib
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

GOOD_TOLERANCE = 0.01  # a run within 1 % of the day's best objective is good


class Fatal(Exception):
    """An error that stops the script with exit code 1 and a message."""


def parse_seeds(text):
    """'101-130', '7', '1,5,10-12' -> list of ints, in order, without duplicates."""
    seeds = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            if "-" in part:
                low, high = (int(x) for x in part.split("-", 1))
                if low < 0 or high < low:
                    raise ValueError
                values = range(low, high + 1)
            else:
                values = [int(part)]
                if values[0] < 0:
                    raise ValueError
        except ValueError:
            raise argparse.ArgumentTypeError(f"bad seed range {part!r} (want A-B, e.g. 101-130)")
        for v in values:
            if v not in seeds:
                seeds.append(v)
    if not seeds:
        raise argparse.ArgumentTypeError("no seeds given")
    return seeds


def positive_float(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be >= 1")
    return value


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="robustness-table.py",
        description=__doc__.replace("\nPython 3 standard library only.\n", ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Pass solve options that start with '-' in the --opt=VALUE form, e.g. "
               "--solve-arg=--deterministic, or --solve-arg=--gap --solve-arg=0.01.")
    p.add_argument("--binary", default=".build/release/infusion-scheduler",
                   help="the infusion-scheduler executable (default: %(default)s); it is not rebuilt")
    p.add_argument("--profile", choices=["small", "medium", "large", "xl"], default="small",
                   help="profile of the generated days (default: %(default)s)")
    p.add_argument("--seeds", type=parse_seeds, metavar="A-B",
                   help="seeds of the generated days, e.g. 101-130 (also 7 or 1,5,10-12)")
    p.add_argument("--day", action="append", default=[], metavar="FILE",
                   help="an extra day file to solve as well (repeatable), "
                        "e.g. ../shared/cases/small-left-out.day.json")
    p.add_argument("--runs", type=positive_int, default=3, metavar="N",
                   help="solves per day (default: %(default)s)")
    p.add_argument("--time-limit", type=positive_float, default=10.0, metavar="S",
                   help="solve --time-limit in seconds (default: %(default)s)")
    p.add_argument("--solve-arg", action="append", default=[], metavar="ARG",
                   help="an extra argument for solve (repeatable), e.g. --solve-arg=--deterministic")
    p.add_argument("--kill-after", type=positive_float, metavar="S",
                   help="kill a solve that runs this long and count it as failed "
                        "(default: 10 x time limit + 120 s)")
    p.add_argument("--work", metavar="DIR",
                   help="where days, schedules and solve logs go (default: a new temp dir, kept)")
    p.add_argument("--markdown", metavar="FILE", help="also append the table to FILE")
    p.add_argument("--json", metavar="FILE", help="write the raw per-run data to FILE")
    args = p.parse_args(argv)
    if not args.seeds and not args.day:
        p.error("nothing to solve: give --seeds A-B and/or --day FILE")
    return args


# ----------------------------------------------------------------------------- running

def git_info():
    """(short HEAD, dirty?) of the checkout in the current directory, else of this script's."""
    for where in (os.getcwd(), os.path.dirname(os.path.abspath(__file__))):
        try:
            rev = subprocess.run(["git", "-C", where, "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True, timeout=30)
            if rev.returncode != 0:
                continue
            dirty = subprocess.run(["git", "-C", where, "diff", "--quiet", "HEAD", "--"],
                                   capture_output=True, timeout=30).returncode != 0
            return rev.stdout.strip(), dirty
        except (OSError, subprocess.SubprocessError):
            continue
    return "unknown", False


def generate_day(binary, profile, seed, path):
    result = subprocess.run([binary, "generate", "--profile", profile, "--seed", str(seed),
                             "--output", path], capture_output=True, text=True)
    if result.returncode != 0 or not os.path.isfile(path):
        raise Fatal(f"generate --profile {profile} --seed {seed} failed (exit {result.returncode}): "
                    f"{result.stderr.strip() or result.stdout.strip()}")


def count_requests(path):
    try:
        with open(path) as f:
            return len(json.load(f).get("requests", []))
    except (OSError, ValueError, AttributeError) as e:
        raise Fatal(f"cannot read the day {path}: {e}")


def schedule_digest(schedule):
    """Hash of the schedule without solver.seconds, the one field that always differs."""
    copy = json.loads(json.dumps(schedule))
    if isinstance(copy.get("solver"), dict):
        copy["solver"].pop("seconds", None)
    text = json.dumps(copy, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def solve_once(binary, day_path, out_path, log_path, time_limit, solve_args, kill_after):
    """One solve; returns the run's record (never raises for a failing solve)."""
    if os.path.exists(out_path):
        os.remove(out_path)
    command = [binary, "solve", day_path, "--method", "mip", "--time-limit", f"{time_limit:g}",
               "-o", out_path] + solve_args
    record = {"command": command, "exit": None, "wall": None, "failure": None, "crashed": False,
              "objective": None, "status": None, "bound": None, "gap": None, "solverSeconds": None,
              "scheduled": [], "unscheduled": [], "capacityLeftOut": None, "digest": None, "output": out_path, "log": log_path}
    start = time.monotonic()
    try:
        with open(log_path, "w") as log:
            result = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, timeout=kill_after)
        record["exit"] = result.returncode
    except subprocess.TimeoutExpired:
        record["wall"] = time.monotonic() - start
        record["failure"] = f"killed after {kill_after:g} s"
        return record
    record["wall"] = time.monotonic() - start
    if result.returncode < 0:
        record["crashed"] = True
        record["failure"] = f"signal {-result.returncode}"
        return record
    if result.returncode != 0:
        record["failure"] = f"exit {result.returncode}"
        return record
    try:
        with open(out_path) as f:
            schedule = json.load(f)
        record["objective"] = float(schedule["objective"]["total"])
        solver = schedule.get("solver") or {}
        record["status"] = solver.get("status")
        record["bound"] = solver.get("bound")
        record["gap"] = solver.get("gap")
        record["solverSeconds"] = solver.get("seconds")
        record["scheduled"] = sorted(a["request"] for a in schedule.get("appointments", []))
        record["unscheduled"] = [{"request": u.get("request"), "reason": u.get("reason")}
                                 for u in schedule.get("unscheduled", [])]
        record["capacityLeftOut"] = sum(1 for u in record["unscheduled"] if u["reason"] == "capacity")
        record["digest"] = schedule_digest(schedule)
    except (OSError, ValueError, KeyError, TypeError) as e:
        record["failure"] = "no readable schedule"
        record["objective"] = None
        record["detail"] = str(e)
    return record


# ----------------------------------------------------------------------------- figures

def excess_fraction(objective, best):
    return (objective - best) / max(1.0, abs(best))


def analyse_day(day):
    """Adds best, per-run excess/good, left-out regressions and distinct outputs to a day."""
    runs = day["runs"]
    ok = [r for r in runs if r["failure"] is None]
    day["best"] = min((r["objective"] for r in ok), default=None)
    for r in runs:
        if r["failure"] is None:
            r["excess"] = excess_fraction(r["objective"], day["best"])
            r["good"] = r["status"] == "optimal" or r["excess"] <= GOOD_TOLERANCE + 1e-12
        else:
            r["excess"] = None
            r["good"] = False
    placed = [set(r["scheduled"]) for r in ok]
    union = set().union(*placed) if placed else set()
    common = set.intersection(*placed) if placed else set()
    day["leftOutRegressions"] = sorted(union - common)
    day["distinctOutputs"] = len({r["digest"] for r in ok} | {r["failure"] for r in runs if r["failure"]})
    day["worstExcess"] = max((r["excess"] for r in ok), default=None)
    day["optimalRuns"] = sum(1 for r in ok if r["status"] == "optimal")
    day["failedRuns"] = len(runs) - len(ok)
    day["medianWall"] = statistics.median(r["wall"] for r in runs) if runs else None
    day["meetsTarget"] = all(r["good"] for r in runs) and not day["leftOutRegressions"]


def fmt_number(x):
    if x is None:
        return "—"
    if abs(x - round(x)) < 1e-6:
        return str(int(round(x)))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def fmt_percent(fraction):
    return "—" if fraction is None else f"{100 * fraction:.2f} %"


def fmt_share(k, n):
    return f"{k}/{n} ({100 * k / n:.0f} %)" if n else "0/0"


def run_label(r):
    if r["failure"] is not None:
        return r["failure"]
    text = fmt_number(r["objective"])
    return text + "*" if r["status"] == "optimal" else text


def render(meta, days, interrupted):
    lines = []
    extra = f" + {len(meta['extraDays'])} day file(s)" if meta["extraDays"] else ""
    seeds = f", seeds {meta['seedsText']}" if meta["seedsText"] else ""
    lines.append(f"### solve robustness: {meta['profile']}{seeds}{extra}; "
                 f"{meta['runs']} runs each at {meta['timeLimit']:g} s")
    lines.append("")
    lines.append(f"- command: `{meta['commandLine']}`")
    dirty = " (working tree has uncommitted changes)" if meta["dirty"] else ""
    lines.append(f"- commit: `{meta['commit']}`{dirty}; date: {meta['date']}; {meta['cpus']} CPUs")
    lines.append(f"- binary: `{meta['binary']}` (modified {meta['binaryModified']}); solve: "
                 f"`solve DAY --method mip --time-limit {meta['timeLimit']:g}"
                 + (" " + " ".join(shlex.quote(a) for a in meta["solveArgs"]) if meta["solveArgs"] else "")
                 + "`, runs one after another")
    if interrupted:
        lines.append(f"- **interrupted**: {len(days)} day(s) finished")
    lines.append("")
    lines.append("| day | requests | objectives | best | worst excess | proven optimal | "
                 "left-out regressions | admissible left out | distinct outputs | median wall s |")
    lines.append("|---|---:|---|---:|---:|---:|---|---|---:|---:|")
    for d in days:
        n = len(d["runs"])
        lo = d["leftOutRegressions"]
        lo_text = str(len(lo)) + (f" ({', '.join(lo)})" if 0 < len(lo) <= 3 else "")
        lines.append(f"| {d['name']} | {d['requests']} | {' / '.join(run_label(r) for r in d['runs'])} | "
                     f"{fmt_number(d['best'])} | {fmt_percent(d['worstExcess'])} | {d['optimalRuns']}/{n} | "
                     f"{lo_text} | {' / '.join('—' if r['capacityLeftOut'] is None else str(r['capacityLeftOut']) for r in d['runs'])} | "
                     f"{d['distinctOutputs']} | {d['medianWall']:.1f} |")
    lines.append("")
    lines.append("`*` proven optimal. A run is good when proven optimal or within 1 % of the day's best "
                 "objective; excess = (objective - best) / max(1, |best|). A left-out regression is a request "
                 "one run placed and another run of the day did not; admissible left out counts each run's "
                 "unscheduled requests with reason `capacity`. Distinct outputs compares the schedule JSON "
                 "without `solver.seconds`.")
    lines.append("")

    runs = [r for d in days for r in d["runs"]]
    ok = [r for r in runs if r["failure"] is None]
    excesses = [r["excess"] for r in ok]
    lines.append("Summary:")
    lines.append("")
    lines.append(f"- days: {len(days)}; runs: {len(runs)}; failed runs: {len(runs) - len(ok)}"
                 + (f" ({sum(1 for r in runs if r['crashed'])} crashed)" if any(r["crashed"] for r in runs) else ""))
    lines.append(f"- runs good (optimal or within 1 % of the best): "
                 f"{fmt_share(sum(1 for r in runs if r['good']), len(runs))}")
    lines.append(f"- runs proven optimal: {fmt_share(sum(1 for r in ok if r['status'] == 'optimal'), len(runs))}")
    lines.append(f"- excess over the day's best: median "
                 f"{fmt_percent(statistics.median(excesses)) if excesses else '—'}, worst "
                 f"{fmt_percent(max(excesses)) if excesses else '—'}")
    lines.append(f"- runs leaving out an admissible request (reason capacity): "
                 f"{fmt_share(sum(1 for r in ok if r['capacityLeftOut']), len(runs))}")
    lines.append(f"- days with a left-out regression: {fmt_share(sum(1 for d in days if d['leftOutRegressions']), len(days))}")
    lines.append(f"- days whose runs were not all identical: "
                 f"{fmt_share(sum(1 for d in days if d['distinctOutputs'] > 1), len(days))}")
    lines.append(f"- days meeting the target (every run good, no left-out regression): "
                 f"{fmt_share(sum(1 for d in days if d['meetsTarget']), len(days))}")
    walls = [r["wall"] for r in runs]
    lines.append(f"- wall time per run: median {statistics.median(walls):.1f} s, max {max(walls):.1f} s"
                 if walls else "- wall time per run: —")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- main

def main(argv):
    args = parse_args(argv)
    binary = args.binary
    if os.sep not in binary:
        found = None
        for directory in os.environ.get("PATH", "").split(os.pathsep):
            candidate = os.path.join(directory, binary)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                found = candidate
                break
        binary = found or binary
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        raise Fatal(f"binary not found or not executable: {args.binary} "
                    f"(build it with `swift build -c release --product infusion-scheduler`, or pass --binary)")
    binary_run = os.path.abspath(binary)
    for path in args.day:
        if not os.path.isfile(path):
            raise Fatal(f"day file not found: {path}")

    work = args.work or tempfile.mkdtemp(prefix="robustness-")
    os.makedirs(work, exist_ok=True)
    kill_after = args.kill_after or 10 * args.time_limit + 120
    commit, dirty = git_info()
    seeds_text = None
    if args.seeds:
        s = args.seeds
        seeds_text = f"{s[0]}-{s[-1]}" if s == list(range(s[0], s[-1] + 1)) and len(s) > 1 else ",".join(map(str, s))
    meta = {
        "commandLine": shlex.join([sys.argv[0]] + list(argv)),
        "commit": commit, "dirty": dirty,
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": os.cpu_count(),
        "binary": args.binary,
        "binaryModified": datetime.datetime.fromtimestamp(os.path.getmtime(binary)).astimezone()
                          .strftime("%Y-%m-%d %H:%M %Z"),
        "profile": args.profile, "seeds": args.seeds or [], "seedsText": seeds_text,
        "extraDays": args.day, "runs": args.runs, "timeLimit": args.time_limit,
        "solveArgs": args.solve_arg, "killAfter": kill_after, "work": os.path.abspath(work),
    }
    print(f"work dir: {meta['work']}", file=sys.stderr)

    plan = []  # (name, path)
    for seed in args.seeds or []:
        name = f"{args.profile}-{seed}"
        path = os.path.join(work, name + ".day.json")
        generate_day(binary_run, args.profile, seed, path)
        plan.append((name, path))
    for path in args.day:
        base = os.path.basename(path)
        for suffix in (".day.json", ".json"):
            if base.endswith(suffix):
                base = base[: -len(suffix)]
                break
        name = base
        k = 2
        while name in {n for n, _ in plan}:
            name = f"{base}-{k}"
            k += 1
        plan.append((name, os.path.abspath(path)))

    days, interrupted = [], False
    try:
        for index, (name, path) in enumerate(plan, 1):
            day = {"name": name, "file": path, "requests": count_requests(path), "runs": []}
            for run in range(1, args.runs + 1):
                out = os.path.join(work, f"{name}.run{run}.schedule.json")
                log = os.path.join(work, f"{name}.run{run}.log")
                r = solve_once(binary_run, path, out, log, args.time_limit, args.solve_arg, kill_after)
                r["run"] = run
                day["runs"].append(r)
                print(f"[{index}/{len(plan)}] {name} run {run}/{args.runs}: "
                      f"{r['failure'] or fmt_number(r['objective']) + ' ' + str(r['status'])} "
                      f"in {r['wall']:.1f} s", file=sys.stderr)
            analyse_day(day)
            days.append(day)
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted: printing the days finished so far", file=sys.stderr)

    table = render(meta, days, interrupted)
    print(table, end="")
    if args.markdown:
        with open(args.markdown, "a") as f:
            f.write(table + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "interrupted": interrupted, "days": days}, f, indent=2)
            f.write("\n")

    crashed = [f"{d['name']} run {r['run']} ({r['failure']})" for d in days for r in d["runs"] if r["crashed"]]
    if crashed:
        raise Fatal("solve crashed: " + "; ".join(crashed) + f" (logs in {meta['work']})")
    return 130 if interrupted else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Fatal as e:
        print(f"robustness-table.py: error: {e}", file=sys.stderr)
        sys.exit(1)
