#!/usr/bin/env bash
# The HTTP service under load (not part of CI): a release build on a free loopback port, wrk
# against POST /v1/validate and a greedy POST /v1/solve of instances/medium-1.json at 1, 8 and 64
# connections for DURATION seconds each, then both again at 64 connections while the job queue is
# full of long integer-program jobs. Prints a Markdown table (throughput, p50/p99 latency, answers
# by status, socket errors) and the server's memory: peak RSS, RSS before and after, and checks
# that it still answers and exits 0 on SIGTERM. Raw wrk output goes to .build/service-load/.
#   scripts/service-load.sh [DURATION]      (default 30)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
duration="${1:-30}"
out=.build/service-load
mkdir -p "$out"

if ! command -v wrk >/dev/null; then
    sudo=""; [[ "$(id -u)" != 0 ]] && sudo=sudo
    $sudo apt-get install -y wrk >/dev/null || { $sudo apt-get update >/dev/null && $sudo apt-get install -y wrk >/dev/null; }
fi
(cd Service && swift build -c release --product infusion-scheduler-service >&2)

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
LOG_LEVEL=warning Service/.build/release/infusion-scheduler-service --port "$port" >"$out/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
peak() { awk '/^VmHWM/ {print $2}' "/proc/$server/status"; }

day=instances/medium-1.json
curl -sf -X POST -H 'Content-Type: application/json' --data-binary @"$day" "$url/v1/solve?method=greedy" >"$out/schedule.json"
python3 - "$day" "$out/schedule.json" >"$out/validate-body.json" <<'PY'
import sys
day, schedule = (open(p, "rb").read().decode() for p in sys.argv[1:3])
print('{"day": ' + day + ', "schedule": ' + schedule + '}')
PY
rss_before="$(rss)"

run() {  # name path body connections
    local name="$1" path="$2" body="$3" connections="$4"
    local threads=$(( connections < 2 ? connections : 2 ))
    local file="$out/$name-c$connections.txt"
    BODY="$body" wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 30s --latency \
        -s scripts/service-load.lua "$url$path" >"$file"
    local rps p50 p99 statuses errors
    rps="$(awk '/^Requests\/sec/ {print $2}' "$file")"
    p50="$(awk '$1 == "50%" {print $2}' "$file")"
    p99="$(awk '$1 == "99%" {print $2}' "$file")"
    statuses="$(awk '/^status/ {sub(":", "", $2); printf "%s%s × %s", sep, $3, $2; sep = ", "}' "$file")"
    errors="$(awk '/Socket errors/ {print $3, $4, $5, $6, $7, $8, $9, $10}' "$file")"
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$connections" "$rps" "$p50" "$p99" "$statuses" "${errors:-none}"
}

echo "| route | connections | requests/s | p50 | p99 | answers (count × status) | socket errors |"
echo "| --- | ---: | ---: | ---: | ---: | --- | --- |"
for c in 1 8 64; do run validate /v1/validate "$out/validate-body.json" "$c"; done
for c in 1 8 64; do run "greedy solve" "/v1/solve?method=greedy" "$day" "$c"; done

# A full job queue: every slot and every queue place taken by a 300 s integer-program job.
jobs=()
while :; do
    answer="$(curl -s -o "$out/job.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        --data-binary @"$day" "$url/v1/jobs?method=mip&timeLimit=300")"
    [[ "$answer" == 202 ]] || break
    jobs+=("$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$out/job.json")")
done
echo
echo "job queue full after ${#jobs[@]} jobs (answer $answer):"
echo
echo "| route | connections | requests/s | p50 | p99 | answers (count × status) | socket errors |"
echo "| --- | ---: | ---: | ---: | ---: | --- | --- |"
run "validate, queue full" /v1/validate "$out/validate-body.json" 64
run "greedy solve, queue full" "/v1/solve?method=greedy" "$day" 64
# Cancel the queued jobs first (newest first), so that none of them starts, then the running ones.
for (( i = ${#jobs[@]} - 1; i >= 0; i-- )); do curl -sf -X DELETE "$url/v1/jobs/${jobs[i]}" >/dev/null; done

# A cancelled integer program returns at once, but the linear relaxation its second thread may be
# solving cannot be interrupted and ends on its own (BENCHMARKS.md): wait until the process is idle
# (no CPU time used over 2 s, at most 120 s) before reading its resident size.
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
settle=0
while (( settle < 120 )); do
    before="$(cpu)"; sleep 2; settle=$((settle + 2))
    (( $(cpu) - before <= 1 )) && break
done
rss_after="$(rss)"
peak_rss="$(peak)"
curl -sf "$url/healthz" >/dev/null && healthy=yes || healthy=no
kill -TERM "$server"
status=0
wait "$server" || status=$?
trap - EXIT
echo
echo "server memory: peak RSS $((peak_rss / 1024)) MiB; RSS $((rss_before / 1024)) MiB before the runs, $((rss_after / 1024)) MiB after (idle ${settle} s after the last cancel)"
echo "still answering after the runs: $healthy; exit status on SIGTERM: $status"
[[ "$healthy" == yes && "$status" == 0 ]]
