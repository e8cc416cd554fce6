#!/usr/bin/env bash
# Renders a day's schedule as HTML and loads it in a real headless browser (Debian's chromium):
# fails when the page logs script or console errors, when its DOM lacks the picture or
# a bar per appointment, or when the screenshot is blank.
#
# usage: scripts/render-check.sh [--day FILE] [--schedule FILE] [--out DIR] [--update-docs]
#        scripts/render-check.sh --horizon FILE --bookings FILE [--out DIR]
#        scripts/render-check.sh --simulation [--day FILE] [--schedule FILE] [--out DIR]
#   --day FILE       the day to render (default instances/medium-1.json)
#   --schedule FILE  its schedule; when absent it is solved with `solve --method greedy`
#   --horizon FILE   instead, a horizon and its --bookings, drawn by `render-horizon`: the DOM
#                    must hold a cell per open day, a marker per new visit and a picture per booked day
#   --simulation     instead, simulate the day's schedule (`simulate --runs 200 --seed 1 --chart`) and load
#                    the SVG chart: the DOM must hold a bar per histogram bin of the report's waits and
#                    overtime, the occupancy band and the plan's occupancy line
#   --out DIR        where the HTML, the screenshot and the logs go (default .build/render-check)
#   --update-docs    also copy the screenshot to docs/medium-day.png (or $DOCS_PNG)
# Environment: CHROMIUM (browser command), WINDOW (default 1600,1200), BROWSER_TIMEOUT (s, default 120).
#
# Runs on a fresh machine (CI runs it as root with no display): installs chromium when missing.
set -euo pipefail

cd "$(dirname "$0")/.."

day=instances/medium-1.json
schedule=
horizon=
bookings=
simulation=0
out=.build/render-check
update_docs=0
docs_png=${DOCS_PNG:-docs/medium-day.png}
window=${WINDOW:-1600,1200}
browser_timeout=${BROWSER_TIMEOUT:-120}

while [ $# -gt 0 ]; do
    case "$1" in
        --day) day=$2; shift 2 ;;
        --schedule) schedule=$2; shift 2 ;;
        --horizon) horizon=$2; shift 2 ;;
        --bookings) bookings=$2; shift 2 ;;
        --simulation) simulation=1; shift ;;
        --out) out=$2; shift 2 ;;
        --update-docs) update_docs=1; shift ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "render-check: unknown argument $1" >&2; exit 2 ;;
    esac
done

fail() { echo "render-check: FAIL: $*" >&2; exit 1; }

# --- tools -------------------------------------------------------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    # The package lists of a fresh machine may be missing or stale: update once on failure.
    as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
        || { as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
    browser=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$browser" ]; then
    echo "render-check: installing chromium (Debian package)" >&2
    apt_install chromium || fail "could not install chromium with apt-get"
    browser=$(command -v chromium) || fail "chromium is not on PATH after installing it"
fi
# Without a single font the labels would not show: a bare machine gets DejaVu.
if [ -z "$(find /usr/share/fonts -name '*.ttf' -print -quit 2>/dev/null)" ]; then
    apt_install fonts-dejavu-core || fail "could not install fonts-dejavu-core"
fi
command -v python3 >/dev/null || apt_install python3 || fail "could not install python3"

# --- render ------------------------------------------------------------------------------
mkdir -p "$out"
out=$(cd "$out" && pwd)

swift build --product infusion-scheduler >"$out/build.log" 2>&1 || { tail -n 30 "$out/build.log" >&2; fail "swift build failed"; }
cli=$(swift build --show-bin-path)/infusion-scheduler

if [ -n "$horizon" ]; then
    [ -f "$horizon" ] && [ -f "$bookings" ] || fail "no horizon $horizon or bookings $bookings"
    html=$out/horizon.html
    "$cli" render-horizon "$horizon" "$bookings" --output "$html" 2>"$out/render.log" \
        || { cat "$out/render.log" >&2; fail "render-horizon failed"; }
    read -r open_days visits booked_days < <(python3 -c '
import json, sys
h, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
print(len(h["days"]), sum(len(x["visits"]) for x in b["bookings"]), len(b["days"]))' "$horizon" "$bookings") \
        || fail "cannot read $horizon or $bookings"
elif [ -z "$schedule" ]; then
    schedule=$out/schedule.json
    "$cli" solve "$day" --method greedy --output "$schedule" 2>"$out/solve.log" \
        || { cat "$out/solve.log" >&2; fail "solve $day failed"; }
fi
if [ -z "$horizon" ] && [ "$simulation" = 1 ]; then
    [ -f "$day" ] || fail "no day file $day"
    [ -f "$schedule" ] || fail "no schedule file $schedule"
    html=$out/simulation.svg
    "$cli" simulate "$day" "$schedule" --runs 200 --seed 1 --chart "$html" --output "$out/simulation.json" 2>"$out/simulate.log" \
        || { cat "$out/simulate.log" >&2; fail "simulate failed"; }
    read -r wait_bins overtime_bins < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["histograms"]
print(len(r["waitMinutes"]["counts"]), len(r["overtimeMinutes"]["counts"]))' "$out/simulation.json") \
        || fail "cannot read $out/simulation.json"
elif [ -z "$horizon" ]; then
    [ -f "$day" ] || fail "no day file $day"
    [ -f "$schedule" ] || fail "no schedule file $schedule"
    html=$out/day.html
    "$cli" render "$day" "$schedule" --output "$html" 2>"$out/render.log" \
        || { cat "$out/render.log" >&2; fail "render failed"; }
    appointments=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["appointments"]))' "$schedule") \
        || fail "cannot read $schedule"
fi
[ -s "$html" ] || fail "render wrote nothing to $html"
grep -qi '<script' "$html" && fail "$html contains a script"

# --- browser -----------------------------------------------------------------------------
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars --no-first-run
       --disable-extensions --disable-background-networking --user-data-dir="$profile"
       --window-size="$window" --enable-logging=stderr --v=0)
url="file://$html"

run_browser() { # log file, extra flags...
    local log=$1; shift
    timeout "$browser_timeout" "$browser" "${flags[@]}" "$@" "$url" 2>"$log"
}

run_browser "$out/dom.log" --dump-dom >"$out/dom.html" || { tail -n 20 "$out/dom.log" >&2; fail "chromium could not load $html"; }
png=$out/${html##*/}
png=${png%.*}.png
rm -f "$png"
run_browser "$out/screenshot.log" --screenshot="$png" >/dev/null || { tail -n 20 "$out/screenshot.log" >&2; fail "chromium could not take a screenshot"; }

# The page has no scripts, so any console error, uncaught exception or failed load is a fault
# (a failed load would also mean the page reaches outside itself).
errors=$(grep -hE 'Uncaught|CONSOLE.*(Error|error|Failed|Refused)|net::ERR_' "$out/dom.log" "$out/screenshot.log" || true)
[ -z "$errors" ] || { echo "$errors" >&2; fail "the page logged errors in chromium"; }
other=$(grep -hE ':CONSOLE' "$out/dom.log" "$out/screenshot.log" || true)
[ -z "$other" ] || echo "render-check: console messages (not errors): $other" >&2

grep -q '<svg' "$out/dom.html" || fail "the DOM chromium built has no <svg>"
count() { grep -o "$1" "$out/dom.html" | wc -l; }
if [ -n "$horizon" ]; then
    [ "$(count 'class="day-cell"')" -eq "$open_days" ] || fail "the DOM has $(count 'class="day-cell"') day cells, the horizon $open_days open days"
    [ "$(count 'class="new-visit"')" -eq "$visits" ] || fail "the DOM marks $(count 'class="new-visit"') new visits, the bookings have $visits"
    [ "$(count 'class="day-detail"')" -eq "$booked_days" ] || fail "the DOM has $(count 'class="day-detail"') day pictures, the bookings $booked_days days"
    [ -s "$png" ] || fail "chromium wrote no screenshot"
    python3 scripts/png-check.py "$png" || fail "the screenshot $png is blank or unreadable"
    echo "render-check: OK: $horizon with $bookings, $open_days open days, $visits new visits, $booked_days day pictures, screenshot $png"
    exit 0
fi
if [ "$simulation" = 1 ]; then
    [ "$(count 'class="wait-bar"')" -eq "$wait_bins" ] || fail "the DOM has $(count 'class="wait-bar"') wait bars, the report $wait_bins bins"
    [ "$(count 'class="overtime-bar"')" -eq "$overtime_bins" ] || fail "the DOM has $(count 'class="overtime-bar"') overtime bars, the report $overtime_bins bins"
    [ "$(count 'class="occupancy-band"')" -eq 1 ] || fail "the DOM has no occupancy band"
    [ "$(count 'class="occupancy-median"')" -eq 1 ] || fail "the DOM has no median occupancy line"
    [ "$(count 'class="plan-occupancy"')" -eq 1 ] || fail "the DOM has no plan occupancy line"
    [ -s "$png" ] || fail "chromium wrote no screenshot"
    python3 scripts/png-check.py "$png" || fail "the screenshot $png is blank or unreadable"
    echo "render-check: OK: simulation of $day, $wait_bins wait bins, $overtime_bins overtime bins, screenshot $png"
    exit 0
fi
bars=$(grep -o 'class="appt"' "$out/dom.html" | wc -l)
[ "$bars" -eq "$appointments" ] || fail "the DOM has $bars appointment bars, the schedule $appointments appointments"
rows=$(grep -o 'class="chair-row"' "$out/dom.html" | wc -l)
[ "$rows" -gt 0 ] || fail "the DOM has no chair rows"

[ -s "$png" ] || fail "chromium wrote no screenshot"
python3 scripts/png-check.py "$png" || fail "the screenshot $png is blank or unreadable"

if [ "$update_docs" = 1 ]; then
    mkdir -p "$(dirname "$docs_png")"
    cp "$png" "$docs_png"
    echo "render-check: wrote $docs_png"
fi
echo "render-check: OK: $day, $appointments appointments, $rows chair rows, screenshot $png"
