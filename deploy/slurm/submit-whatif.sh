#!/bin/bash
# Submits a sharded what-if sweep to Slurm: an array of N shard tasks (whatif-shard.sbatch), and
# the merge (whatif-merge.sbatch) queued with --dependency=afterok on the whole array, so that it
# starts once every shard has succeeded and never after a failed one.
#
#   deploy/slurm/submit-whatif.sh N PARTS_DIR REPORT [--merge "MERGE OPTIONS"] -- WHATIF_ARGS...
#   deploy/slurm/submit-whatif.sh 16 /shared/parts /shared/report.md --merge "--chart /shared/report.svg" \
#       -- --scenarios /shared/sweep.json --method mip --time-limit 30 --deterministic
#
# Prints the two job ids. Extra sbatch options (partition, account) go in SBATCH_* variables,
# e.g. SBATCH_PARTITION=batch.
set -euo pipefail

usage() { echo "usage: $0 N PARTS_DIR REPORT [--merge \"MERGE OPTIONS\"] -- WHATIF_ARGS..." >&2; exit 2; }
[ $# -ge 4 ] || usage
n=$1 parts=$2 report=$3
shift 3
merge=()
if [ "$1" = --merge ]; then
    read -r -a merge <<< "$2"
    shift 2
fi
[ "${1:-}" = -- ] || usage
shift
case $n in ''|*[!0-9]*) usage ;; esac
[ "$n" -ge 1 ] || usage
here=$(cd "$(dirname "$0")" && pwd)

# --parsable prints "JOBID" or "JOBID;CLUSTER".
array=$(sbatch --parsable --array="0-$((n - 1))" "$here/whatif-shard.sbatch" "$parts" "$@")
array=${array%%;*}
merged=$(sbatch --parsable --dependency="afterok:$array" "$here/whatif-merge.sbatch" "$parts" "$n" "$report" "${merge[@]}")
merged=${merged%%;*}
echo "shards: job $array (array 0-$((n - 1))); merge: job $merged, after all shards succeed; report: $report"
