#!/usr/bin/env bash
# usage: scripts/stop-latency.sh BINARY DAY [SECONDS_BEFORE_SIGNAL] [RUNS]
# Cancellation latency: SIGTERM at T seconds into a 60 s solve; prints the seconds from the signal to the exit.
bin=$1; day=$2; at=${3:-5}; runs=${4:-10}
for i in $(seq 1 $runs); do
  "$bin" solve "$day" --time-limit 60 --output "${TMPDIR:-/tmp}"/stop-latency.json 2>/dev/null &
  pid=$!
  sleep "$at"
  t0=$(date +%s.%N); kill -TERM $pid; wait $pid; t1=$(date +%s.%N)
  status=$(python3 -c "import json; print(json.load(open('"${TMPDIR:-/tmp}"/stop-latency.json'))['solver']['status'])")
  echo "$(echo "$t1 - $t0" | bc) $status"
done
