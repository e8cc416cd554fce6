#!/usr/bin/env bash
# usage: scripts/book-stop-latency.sh BINARY HORIZON [SECONDS_BEFORE_SIGNAL] [RUNS]
# Batch booking's stop latency: SIGTERM at T seconds into `book HORIZON --time-limit 120`; prints
# the seconds from the signal to the exit and the status written (`stopped`, or the status of a
# run that had already ended).
bin=$1; horizon=$2; at=${3:-2}; runs=${4:-10}
out="${TMPDIR:-/tmp}"/book-stop-latency.json
for i in $(seq 1 "$runs"); do
  "$bin" book "$horizon" --time-limit 120 --output "$out" 2>/dev/null &
  pid=$!
  sleep "$at"
  t0=$(date +%s.%N); kill -TERM $pid; wait $pid; t1=$(date +%s.%N)
  status=$(python3 -c "import json; print(json.load(open('$out'))['solver']['status'])")
  echo "$(echo "$t1 - $t0" | bc) $status"
done
