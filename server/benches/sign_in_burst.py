#!/usr/bin/env python3
"""Sign-in burst: the server's peak memory and a colleague's time to sign in.

Starts a Ward server binary (default `target/release/server`; build it with
`cargo build --release -p server`) in demo mode on a fresh SQLite file, then:

1. `burst`: 40 concurrent wrong passwords for one account (`doctor`) from one address;
2. `spray`: 40 concurrent wrong passwords for 40 different accounts from one address;

and after each, times how long a colleague behind the same address (`nurse`, right
password) needs to sign in, waiting what `Retry-After` says. Reports the server's peak
resident memory (`VmHWM` in /proc/<pid>/status, so the peak between samples is not
missed) before and after, and the password checks it ran (`ward_password_checks_total`).

    python3 server/benches/sign_in_burst.py [path/to/server]

Prints a Markdown table; figures go to server/BENCHMARKS.md. Standard library only.
"""

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

METRICS_TOKEN = "sign-in-bench-metrics-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def post(base, path, body):
    req = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def password_checks(base):
    req = urllib.request.Request(
        base + "/metrics", headers={"authorization": f"Bearer {METRICS_TOKEN}"}
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        for line in r.read().decode().splitlines():
            if line.startswith("ward_password_checks_total "):
                return int(line.split()[1])
    return -1


def colleague_time(base):
    """Seconds until `nurse` is signed in, following Retry-After; and the tries."""
    started = time.monotonic()
    tries = 0
    while True:
        tries += 1
        status, headers, _ = post(
            base, "/api/token/", {"username": "nurse", "password": "nurse123"}
        )
        if status == 200:
            return time.monotonic() - started, tries
        if status != 429 or tries > 100:
            raise SystemExit(f"colleague sign-in answered {status}")
        wait = int(headers.get("Retry-After", headers.get("retry-after", "1")))
        if wait > 60:
            # Locked out (what the code before issue 26 did to a whole address).
            return float("inf"), f"locked out, Retry-After {wait} s"
        time.sleep(wait)


def burst(base, usernames):
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(usernames)) as pool:
        answers = list(
            pool.map(
                lambda u: post(base, "/api/token/", {"username": u, "password": "wrong"})[0],
                usernames,
            )
        )
    return {code: answers.count(code) for code in sorted(set(answers))}


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/server"
    binary = os.path.abspath(binary)
    rows = []
    for scenario in ("burst", "spray"):
        with tempfile.TemporaryDirectory() as d:
            port = free_port()
            env = {
                "PATH": os.environ.get("PATH", ""),
                "DATABASE_URL": f"sqlite://{d}/ward.db?mode=rwc",
                "LEPTOS_SITE_ADDR": f"127.0.0.1:{port}",
                "RUST_LOG": "error",
                "WARD_METRICS_TOKEN": METRICS_TOKEN,
            }
            proc = subprocess.Popen([binary, "serve"], cwd=d, env=env)
            base = f"http://127.0.0.1:{port}"
            try:
                for _ in range(600):
                    try:
                        with urllib.request.urlopen(base + "/readyz", timeout=1) as r:
                            if r.status == 200:
                                break
                    except OSError:
                        time.sleep(0.1)
                # One sign-in first, so the idle figure includes a password check.
                post(base, "/api/token/", {"username": "admin", "password": "admin123"})
                idle = status_kib(proc.pid, "VmHWM")
                names = (
                    ["doctor"] * 40
                    if scenario == "burst"
                    else [f"nobody{i}" for i in range(40)]
                )
                started = time.monotonic()
                answers = burst(base, names)
                burst_s = time.monotonic() - started
                peak = status_kib(proc.pid, "VmHWM")
                checks = password_checks(base) - 1
                seconds, tries = colleague_time(base)
                rows.append((scenario, idle, peak, checks, answers, burst_s, seconds, tries))
            finally:
                proc.terminate()
                proc.wait()
    print("| scenario | peak RSS before MiB | peak RSS after MiB | growth MiB | "
          "password checks | answers | burst s | colleague signed in after s (tries) |")
    print("|---|---|---|---|---|---|---|---|")
    for scenario, idle, peak, checks, answers, burst_s, seconds, tries in rows:
        print(
            f"| {scenario} | {idle / 1024:.1f} | {peak / 1024:.1f} | "
            f"{(peak - idle) / 1024:.1f} | {checks} | {answers} | {burst_s:.2f} | "
            f"{seconds:.2f} ({tries}) |"
        )


if __name__ == "__main__":
    main()
