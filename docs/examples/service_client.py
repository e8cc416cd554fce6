#!/usr/bin/env python3
"""A client of the infusion-scheduler service using only Python's standard library.

It solves a day as a job and polls it, cancels a second job while it runs (the best schedule so
far is kept), validates the schedule, and shows how an error reads. See docs/SERVICE.md.

    python3 docs/examples/service_client.py [--url http://127.0.0.1:8080] [--token-file FILE]
        [--day instances/medium-1.json]

Exits 0 when every step answered as documented, 1 otherwise.
"""
import argparse
import json
import pathlib
import sys
import time
import urllib.error
import urllib.request


class Service:
    def __init__(self, url, token=None):
        self.url = url.rstrip("/")
        self.token = token

    def call(self, method, path, body=None):
        """Sends a request; returns (status, headers, decoded JSON body)."""
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.headers, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:  # 4xx and 5xx carry a problem+json body
            return error.code, error.headers, json.loads(error.read() or b"null")

    def wait(self, location, states=("done", "failed", "cancelled"), seconds=120):
        """Polls a job until it reaches one of `states`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            _, _, job = self.call("GET", location)
            if job["state"] in states:
                return job
            time.sleep(0.2)
        raise TimeoutError(f"job {location} did not reach {states}")


def check(condition, message):
    if not condition:
        print("FAILED: " + message, file=sys.stderr)
        sys.exit(1)
    print("ok: " + message)


def main():
    root = pathlib.Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--token-file")
    parser.add_argument("--day", default=str(root / "instances" / "medium-1.json"))
    args = parser.parse_args()
    token = pathlib.Path(args.token_file).read_text().splitlines()[0].strip() if args.token_file else None
    service = Service(args.url, token)
    day = pathlib.Path(args.day).read_bytes()

    status, _, health = service.call("GET", "/healthz")
    check(status == 200 and health["status"] == "ok", "the service is up")

    # 1. Solve as a job: 202 and a Location to poll.
    status, headers, job = service.call("POST", "/v1/jobs?method=greedy", day)
    check(status == 202 and headers["Location"] == f"/v1/jobs/{job['id']}", "a job is accepted with its Location")
    job = service.wait(headers["Location"])
    check(job["state"] == "done", "the job is done")
    schedule = job["result"]
    print(f"    {len(schedule['appointments'])} appointments, objective {schedule['objective']['total']}")

    # 2. A long integer-program solve, cancelled while it runs: the best schedule so far is kept.
    status, headers, job = service.call("POST", "/v1/jobs?method=mip&timeLimit=60", day)
    check(status == 202, "a 60 s integer-program job is accepted")
    running = service.wait(headers["Location"], states=("running", "done"))
    while running["state"] == "running" and "progress" not in running:
        time.sleep(0.2)
        _, _, running = service.call("GET", headers["Location"])
    if running["state"] == "running":
        print(f"    progress: objective {running['progress']['objective']}, bound {running['progress'].get('bound')}")
    status, _, cancelled = service.call("DELETE", headers["Location"])
    check(status == 200 and cancelled["state"] in ("cancelled", "done"), "the job is cancelled")
    check(cancelled.get("result", {}).get("solver", {}).get("status") in ("stopped", "optimal"),
          "the cancelled job keeps its best schedule")

    # 3. Validate the first schedule against the day.
    bundle = b'{"day": ' + day + b', "schedule": ' + json.dumps(schedule).encode() + b"}"
    status, _, report = service.call("POST", "/v1/validate", bundle)
    check(status == 200 and report["valid"], "the schedule keeps every hard constraint")

    # 4. A day that breaks the contract: 422, with the JSON path of the problem.
    broken = json.loads(day)
    broken["requests"][0]["regimen"] = "NO-SUCH-REGIMEN"
    status, headers, problem = service.call("POST", "/v1/solve?method=greedy", broken)
    check(status == 422 and headers["Content-Type"].startswith("application/problem+json"), "a bad day is refused (422)")
    check(problem["path"] == "requests[0].regimen", f"the problem names its path: {problem['detail']}")


if __name__ == "__main__":
    main()
