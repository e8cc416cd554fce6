#!/usr/bin/env bash
# `make service-test`, after `make service-build`: the Service package's tests, then the built
# debug server on a free loopback port, checked as a client would check it:
#   - schemathesis (pinned in Service/requirements-test.txt, installed into .build/venv-service)
#     against the committed openapi/infusion-scheduler.yaml: no 5xx, every response as documented;
#   - the standard-library client of docs/SERVICE.md (docs/examples/service_client.py);
#   - SIGTERM: the server must exit 0 within its grace period.
# Any failure fails the script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv=.build/venv-service
examples="${SCHEMATHESIS_EXAMPLES:-25}"

step() { printf '\n== %s\n' "$1"; SECONDS=0; }
took() { echo "-- $1 took ${SECONDS}s"; }

step "Service package tests"
(cd Service && swift test --skip-build)
took "swift test"

step "schemathesis into $venv"
if [[ ! -x "$venv/bin/schemathesis" ]] || ! cmp -s Service/requirements-test.txt "$venv/requirements-test.txt"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r Service/requirements-test.txt
    cp Service/requirements-test.txt "$venv/requirements-test.txt"
fi
took "pip install"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log=.build/service-test-server.log
Service/.build/debug/infusion-scheduler-service --port "$port" --grace-period 10 >"$log" 2>&1 &
server=$!
stop_server() { kill "$server" 2>/dev/null || true; }
trap stop_server EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 100); do
    curl -sf "$url/healthz" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; echo "the server did not start" >&2; exit 1; }
    sleep 0.1
done

step "schemathesis against $url ($examples examples per operation)"
# Excluded checks, each by design: positive_data_acceptance (the documents are typed as free JSON
# objects; the library's decoders, not the schema, hold their contract, so most schema-valid
# bodies are rightly 422) and use_after_free (DELETE cancels a job, which stays readable with its
# best schedule until it expires).
mkdir -p .build/schemathesis
(cd .build/schemathesis && "$root/$venv/bin/schemathesis" run "$root/openapi/infusion-scheduler.yaml" --url "$url" \
    --max-examples "$examples" --seed 20 --generation-database none --no-color --request-timeout 60 \
    --exclude-checks positive_data_acceptance,use_after_free)
took "schemathesis"

step "the Python client of docs/SERVICE.md"
python3 docs/examples/service_client.py --url "$url"
took "the client"

step "SIGTERM"
kill -TERM "$server"
SECONDS=0
status=0
wait "$server" || status=$?
trap - EXIT
[[ $status -eq 0 ]] || { tail -20 "$log"; echo "the server exited $status on SIGTERM" >&2; exit 1; }
[[ $SECONDS -le 10 ]] || { echo "the server took ${SECONDS}s to stop (grace period 10 s)" >&2; exit 1; }
echo "the server stopped in ${SECONDS}s, exit 0"
if grep -q " error " "$log"; then grep " error " "$log" | head; echo "the server logged errors" >&2; exit 1; fi
echo "service-test: passed"
