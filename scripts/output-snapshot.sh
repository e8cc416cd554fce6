#!/usr/bin/env bash
# Writes the outputs that a behaviour-preserving change must leave byte-identical into DIR:
# greedy solves of the committed days and of generated days (seeds 2-5 of every profile),
# greedy re-plans of the docs' mornings, a what-if grid and renders. `solver.seconds` and the
# seconds in summaries are blanked, since they are the only parts allowed to differ.
#   scripts/output-snapshot.sh BINARY DIR      then      diff -r DIR_BEFORE DIR_AFTER
set -euo pipefail
bin=$1; out=$2
mkdir -p "$out"
strip() { sed -E 's/"seconds" *: *[0-9.eE+-]+/"seconds": 0/g; s/[0-9]+\.[0-9]+ s\b/_ s/g; s/in [0-9.]+ s/in _ s/g'; }
solve() { # day name
  "$bin" solve "$1" --method greedy --output "$out/$2.schedule.json" 2>"$out/$2.summary.txt" || echo "exit $?" >>"$out/$2.summary.txt"
  strip <"$out/$2.schedule.json" >"$out/$2.schedule.tmp" && mv "$out/$2.schedule.tmp" "$out/$2.schedule.json"
  strip <"$out/$2.summary.txt" >"$out/$2.summary.tmp" && mv "$out/$2.summary.tmp" "$out/$2.summary.txt"
}
for day in instances/*.json; do
  case "$(basename "$day")" in README.md|horizon-*) continue ;; esac
  solve "$day" "$(basename "$day" .json)"
done
for profile in small medium large xl; do
  for seed in 2 3 4 5; do
    "$bin" generate --profile $profile --seed $seed --output "$out/gen-$profile-$seed.day.json"
    solve "$out/gen-$profile-$seed.day.json" "gen-$profile-$seed"
  done
done
replan() { # day schedule events name
  "$bin" reschedule "$1" "$2" "$3" --now 09:30 --method greedy --output "$out/$4.replan.json" \
    --day-output "$out/$4.day-after.json" 2>"$out/$4.replan.txt" || echo "exit $?" >>"$out/$4.replan.txt"
  strip <"$out/$4.replan.json" >"$out/$4.tmp" && mv "$out/$4.tmp" "$out/$4.replan.json"
  strip <"$out/$4.replan.txt" >"$out/$4.tmp" && mv "$out/$4.tmp" "$out/$4.replan.txt"
}
replan instances/medium-1.json "$out/medium-1.schedule.json" docs/examples/morning-events.json medium-morning
replan instances/xl-1.json "$out/xl-1.schedule.json" docs/examples/xl-events.json xl-morning
"$bin" whatif --day instances/medium-1.json --grid "chairs.recliner=0,2,4,6;chairs.bed=0,1,2" \
  --chart "$out/whatif-chairs.svg" 2>&1 | strip >"$out/whatif-grid.md"
"$bin" whatif --profile small --seeds 3 --format json 2>&1 | strip >"$out/whatif-small.json"
for name in medium-1 small-1; do
  "$bin" render instances/$name.json "$out/$name.schedule.json" --output "$out/$name.html"
  "$bin" render instances/$name.json "$out/$name.schedule.json" --output "$out/$name.svg"
done
"$bin" validate instances/medium-1.json "$out/medium-1.schedule.json" >"$out/validate.txt" 2>&1 || true
"$bin" validate-replan instances/medium-1.json "$out/medium-1.schedule.json" docs/examples/morning-events.json \
  "$out/medium-morning.replan.json" --now 09:30 >"$out/validate-replan.txt" 2>&1 || true
echo "snapshot written to $out ($(ls "$out" | wc -l) files)"
