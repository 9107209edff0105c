"""A database outage and a Redis outage, live: serve the API with `make serve` (its shared
state in a Redis of this script's own), stop the local PostgreSQL cluster, and show that
requests answer 503 with a JSON message within a second (no hang, no traceback); start
PostgreSQL again and show that requests succeed again without restarting gunicorn (same
worker processes). Then stop Redis: requests still answer 200 (computed, throttled per
process) and the log says so once; start it again and the workers go back to it by
themselves. Prints what it saw; exits non-zero if any of that did not hold. PostgreSQL is
started again whatever happens.

    .venv/bin/python bench/outage.py      # make bench-outage; needs root, stops the cluster
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8004
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heritage_bench"
)
CLUSTER = sorted(os.listdir("/etc/postgresql"))[-1] if Path("/etc/postgresql").is_dir() else ""
PATHS = ["/api/v1/reports/?page_size=10", "/api/v1/sites/", "/healthz"]
REDIS_PORT = 6391


def main() -> int:
    if not CLUSTER:
        print("No local PostgreSQL cluster under /etc/postgresql to stop.")
        return 1
    log_path = ROOT / "var" / "outage-server.log"
    log = log_path.open("w")
    redis = start_redis()
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "outage-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_CONN_MAX_AGE": "60",
        "BIND": f"127.0.0.1:{PORT}",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    }
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    failures = []
    try:
        wait_for(200, "/healthz", limit=120)
        workers = worker_pids(server.pid)
        print(f"Serving on 127.0.0.1:{PORT}, gunicorn workers {workers}")
        show("database up", failures, expect=200)
        started = time.monotonic()
        pg("stop")
        print(f"PostgreSQL stopped ({time.monotonic() - started:.1f} s)")
        show("database down", failures, expect=503)
        show("database still down", failures, expect=503)
        started = time.monotonic()
        pg("start")
        print(f"PostgreSQL started ({time.monotonic() - started:.1f} s)")
        recovered = wait_for(200, PATHS[0], limit=30)
        print(f"First 200 {recovered:.2f} s after PostgreSQL was back")
        show("database back", failures, expect=200)
        if worker_pids(server.pid) != workers:
            failures.append("gunicorn's workers changed")
        else:
            print(f"Same gunicorn workers {workers}: nothing was restarted")
        redis.terminate()
        redis.wait(timeout=10)
        print("Redis stopped")
        show("redis down", failures, expect=200)
        show("redis still down", failures, expect=200)
        redis = start_redis()
        print("Redis started")
        time.sleep(6)  # the workers leave a failed Redis alone for 5 s before trying again
        show("redis back", failures, expect=200)
        said = log_path.read_text()
        for words in ("Redis does not answer", "Redis answers again"):
            times = said.count(words)
            print(f"  the log says {words!r} {times} time(s) (once a worker that saw it)")
            if not 1 <= times <= len(workers):
                failures.append(f"the log says {words!r} {times} times")
        if worker_pids(server.pid) != workers:
            failures.append("gunicorn's workers changed with Redis")
    finally:
        pg("start")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        redis.terminate()
    for failure in failures:
        print(f"FAILED: {failure}")
    print("Outage behaviour: " + ("as required" if not failures else "NOT as required"))
    return 1 if failures else 0


def start_redis() -> subprocess.Popen:
    """A redis-server of this script's own (the machine's may be shared), answering."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        probe = subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
        )
        if probe.stdout.strip() == "PONG":
            return process
        time.sleep(0.1)
    raise SystemExit("redis-server did not start")


def show(moment: str, failures: list, expect: int) -> None:
    for path in PATHS:
        started = time.monotonic()
        status, content_type, body = get(path)
        seconds = time.monotonic() - started
        detail = body.get("detail", body.get("status", "")) if isinstance(body, dict) else body
        print(f"  {moment:20} {path:32} {status} in {seconds * 1000:6.0f} ms  {detail}")
        if status != expect:
            failures.append(f"{path} answered {status} with the {moment}, not {expect}")
        if expect == 503 and (seconds >= 1 or "json" not in content_type):
            failures.append(f"{path}: a 503 must be JSON within 1 s ({seconds:.2f} s)")


def get(path: str) -> tuple[int, str, object]:
    url = f"http://127.0.0.1:{PORT}{path}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local
            status, content_type, raw = (
                response.status,
                response.headers["Content-Type"],
                response.read(),
            )
    except urllib.error.HTTPError as error:
        status, content_type, raw = error.code, error.headers["Content-Type"] or "", error.read()
    try:
        body = json.loads(raw)
    except ValueError:
        body = raw[:80]
    return status, content_type or "", body if status != 200 else {"status": "ok"}


def wait_for(status: int, path: str, limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            if get(path)[0] == status:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{path} did not answer {status} within {limit:.0f} s")


def pg(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", action],
        check=action == "stop",
        capture_output=True,
    )


def worker_pids(pid: int) -> list[int]:
    """gunicorn's workers: the grandchildren of `make` whose parent is the master."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            found.append((parent, int(entry.name)))
    children = {child for parent, child in found if parent == pid}
    masters = {child for parent, child in found if parent in children} | children
    return sorted(
        child
        for parent, child in found
        if parent in masters and "gunicorn" in (Path("/proc") / str(child) / "cmdline").read_text()
    )


if __name__ == "__main__":
    sys.exit(main())
