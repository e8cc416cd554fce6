#!/usr/bin/env bash
# Regenerates the service's server code from the committed OpenAPI document:
#   openapi/infusion-scheduler.yaml -> Service/Sources/SchedulingService/Generated/{Types,Server}.swift
# The generator is built from its own tools package (scripts/openapi-tools, scratch path
# .build-openapi), so no build plugin runs in the service's build or in CI: the output is committed.
# Run it after changing the document and commit both; `--check` fails when the committed code is stale.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/scripts/openapi-tools"
scratch="$root/.build-openapi"
out="$root/Service/Sources/SchedulingService/Generated"

(cd "$tools" && swift build --scratch-path "$scratch" --product swift-openapi-generator >&2)
generator="$(cd "$tools" && swift build --scratch-path "$scratch" --show-bin-path)/swift-openapi-generator"

target="$out"
if [[ "${1:-}" == "--check" ]]; then target="$(mktemp -d)"; trap 'rm -rf "$target"' EXIT; fi
mkdir -p "$target"
"$generator" generate "$root/openapi/infusion-scheduler.yaml" \
    --config "$tools/openapi-generator-config.yaml" --output-directory "$target" >&2
if [[ "${1:-}" == "--check" ]]; then
    diff -r "$out" "$target" && echo "generated code is up to date"
else
    echo "generated code written to ${out#$root/}"
fi
