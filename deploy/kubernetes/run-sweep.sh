#!/bin/sh
# Runs a sharded what-if sweep on Kubernetes (docs/WHATIF.md, "Big sweeps on a batch engine"):
# applies the Indexed Job of the shards, waits until it is complete (stops at once if it
# fails), then applies the merge Job, waits for it and prints the report from its log.
#
#   kubectl create configmap whatif-plan --from-file=sweep.json=docs/whatif-sweep.json
#   deploy/kubernetes/run-sweep.sh            # KUBECTL="kubectl -n planning" for another namespace
#
# Delete the Jobs (kubectl delete job whatif-shards whatif-merge) before running a new sweep;
# the parts volume keeps the parts and reports until the claim is deleted.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kubectl=${KUBECTL:-kubectl}

# Waits until Job $1 has the condition Complete (returns 0) or Failed (returns 1).
wait_for() {
    while :; do
        state=$($kubectl get job "$1" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
        case " $state " in
            *" Complete "*) return 0 ;;
            *" Failed "*) echo "job $1 failed: kubectl describe job $1; kubectl logs job/$1" >&2; return 1 ;;
        esac
        sleep 15
    done
}

$kubectl apply -f "$here/whatif-shards.yaml"
wait_for whatif-shards
$kubectl apply -f "$here/whatif-merge.yaml"
wait_for whatif-merge
$kubectl logs job/whatif-merge
