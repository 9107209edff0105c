"""Scaling out, measured on this machine (issue 16): the same varied public traffic (report
details, filtered lists, site and monument pages in both languages: distinct URLs, bench/
varied.lua) against three set-ups of the same two gunicorn worker processes, production
settings, the benchmark data (200,000 reports, see serve_bench.py):

Two kinds of traffic, apart: API answers (report details, filtered lists: kept answers) and
public pages (site and monument pages in both languages: computed every time).

- one:      one web server (`make serve`, 2 workers) reading the primary; each process keeps
            its own answers (no Redis);
- two+redis: two web servers of 1 worker each, sharing kept answers and throttle counts
            through Redis (REDIS_URL);
- two+replica: the same two servers, also reading the public side from the hot standby
            (DATABASE_REPLICA_URLS; .ci/start-replica runs one on 127.0.0.1:5433).

Each set-up is measured twice over the same URL list: first with nothing kept (Redis emptied,
servers just started: every answer computed), then again (the answers kept in the first pass:
with two servers each walks the half the other computed, so a hit there is one Redis shared).
Prints requests per second, latency, errors, workers' memory, where the database work went
(transactions and rows on the primary and on the standby, from pg_stat_database) and Redis's
hits and misses (kept answers and throttle counts). wrk sends one Host, the public name a load
balancer would pass on: kept answers are filed under it.

    .venv/bin/python bench/scale.py [--duration 15]

Needs wrk, Redis on 127.0.0.1:6379 (database 5 is used and emptied) and the standby.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_bench  # noqa: E402 - the serving benchmark's data set-up, processes and wrk parsing
from serve_bench import (  # noqa: E402
    API,
    DATABASE_URL,
    ROOT,
    SEED,
    VENV,
    WORK,
    parse_wrk,
    prepare_database,
    spawn,
    stop,
    wait_until_up,
    worker_rss_mb,
)

REPLICA_URL = os.environ.get(
    "BENCH_REPLICA_URL", DATABASE_URL.replace("127.0.0.1:5432", "127.0.0.1:5433")
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
PORTS = (8021, 8022)
# The one public name behind a load balancer: kept answers are filed under the whole URL, host
# included (their links are absolute), so servers share them only under the same name.
HOST = "heritage.example.org"
THREADS, CONNECTIONS = 2, 16
DETAILS, FILTERS, PAGES = 2400, 600, 600
# Each kind of traffic twice: with nothing kept, then walking what the first pass computed
# (with two servers, what the other one computed).
PASSES = (("computed", 0), ("kept", 1))
SET_UPS = {
    "one": {"servers": 1, "workers": 2, "redis": False, "replica": False},
    "two+redis": {"servers": 2, "workers": 1, "redis": True, "replica": False},
    "two+replica": {"servers": 2, "workers": 1, "redis": True, "replica": True},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk")
        return 1
    standby_server = REPLICA_URL.rpartition("/")[0] + "/postgres"
    try:
        psycopg2.connect(standby_server, connect_timeout=3).close()
    except psycopg2.Error as error:
        print(f"No standby at {standby_server} ({error}): run .ci/start-replica")
        return 1
    WORK.mkdir(parents=True, exist_ok=True)
    prepare_database()
    database_stats(REPLICA_URL)  # the standby has the benchmark database too
    lists = url_lists()
    print(
        f"Scaling out: {DETAILS + FILTERS} distinct API URLs ({DETAILS} report details, "
        f"{FILTERS} filtered lists) and {PAGES} pages (sites and monuments, English and "
        f"Arabic), each list shuffled; wrk {THREADS} threads, {CONNECTIONS} connections in all, "
        f"{options.duration} s a pass."
    )
    print(
        f"{'set-up':12} {'traffic':7} {'pass':9} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} "
        f"{'primary tx':>10} {'rows':>10} {'standby tx':>10} {'rows':>10} {'hits':>7} "
        f"{'misses':>7}  workers' MB"
    )
    failed = 0
    for name, set_up in SET_UPS.items():
        failed += measure(name, set_up, list(lists), options.duration)
    return 1 if failed else 0


def url_lists() -> dict[str, list[list[str]]]:
    """Two shuffled lists of distinct public URLs, API answers (report details and filtered
    lists) and pages (site and monument pages in English and Arabic), each in two halves,
    written for varied.lua."""
    rng = random.Random(SEED + 16)
    with psycopg2.connect(DATABASE_URL) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT id FROM reports_damagereport WHERE status = 'published'")
        ids = rng.sample([row[0] for row in cursor.fetchall()], DETAILS)
        cursor.execute("SELECT slug FROM sites_heritagesite ORDER BY slug")
        sites = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT s.slug, m.slug FROM sites_monument m JOIN sites_heritagesite s "
            "ON s.id = m.site_id ORDER BY m.id"
        )
        monuments = cursor.fetchall()
        cursor.execute(
            "SELECT DISTINCT damage_type FROM reports_damagereport WHERE status = 'published'"
        )
        damage_types = sorted(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT DISTINCT countries FROM sites_heritagesite")
        countries = sorted({code for (codes,) in cursor.fetchall() for code in codes.split(",")})
    connection.close()
    api = [f"{API}/reports/{id_}/" for id_ in ids]
    combinations = [(c, d, y) for c in countries for d in damage_types for y in range(2011, 2025)]
    api += [
        f"{API}/reports/?country={country}&damage_type={damage_type}"
        f"&occurred_after={year}-01-01&page_size=100"
        for country, damage_type, year in rng.sample(combinations, FILTERS)
    ]
    pages = []
    for slug in rng.sample(sites, PAGES // 4):
        pages += [f"/sites/{slug}/", f"/ar/sites/{slug}/"]
    for site, monument in rng.sample(monuments, PAGES // 4):
        pages += [f"/sites/{site}/{monument}/", f"/ar/sites/{site}/{monument}/"]
    lists = {}
    for name, paths in (("api", api), ("pages", pages)):
        rng.shuffle(paths)
        halves = [paths[: len(paths) // 2], paths[len(paths) // 2 :]]
        for index, half in enumerate([*halves, paths]):
            file = WORK / f"urls-scale-{name}-{('0', '1', 'all')[index]}.txt"
            file.write_text("".join(f"{p}\n" for p in half))
        lists[name] = halves
    return lists


def measure(name: str, set_up: dict, traffic: list[str], duration: int) -> int:
    """Both passes of one set-up on each kind of traffic; returns the bad responses."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    servers = start(set_up)
    bad = 0
    try:
        check(servers)
        for kind, pass_name, swap in ((k, p, s) for k in traffic for p, s in PASSES):
            before = (database_stats(DATABASE_URL), database_stats(REPLICA_URL), redis_hits())
            outputs = load(set_up, kind, duration, swap)
            after = (database_stats(DATABASE_URL), database_stats(REPLICA_URL), redis_hits())
            runs = [parse_wrk(name, pass_name, output) for output in outputs]
            bad += sum(run.bad_responses for run in runs)
            memory = [mb for process in servers for mb in worker_rss_mb(process)]
            primary = [a - b for a, b in zip(after[0], before[0], strict=True)]
            standby = [a - b for a, b in zip(after[1], before[1], strict=True)]
            hits, misses = (a - b for a, b in zip(after[2], before[2], strict=True))
            print(
                f"{name:12} {kind:7} {pass_name:9} "
                f"{sum(r.requests_per_second for r in runs):7.0f} "
                f"{max(r.p50_ms for r in runs):7.1f} {max(r.p99_ms for r in runs):7.1f} "
                f"{sum(r.bad_responses for r in runs):6} {primary[0]:10} {primary[1]:10} "
                f"{standby[0]:10} {standby[1]:10} {hits:7} {misses:7}  "
                f"{', '.join(f'{mb:.0f}' for mb in memory)}"
            )
    finally:
        for process in servers:
            stop(process)
    return bad


def start(set_up: dict) -> list[subprocess.Popen]:
    environment = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_CONN_MAX_AGE": "60",
        "API_THROTTLE_RATE": "10000/second",  # wrk is one client (see serve_bench.py)
        "GUNICORN_WORKERS": str(set_up["workers"]),
        "GUNICORN_THREADS": "4",
        "REDIS_URL": REDIS_URL if set_up["redis"] else "",
        "DATABASE_REPLICA_URLS": REPLICA_URL if set_up["replica"] else "",
    }
    make_serve = ["make", "--no-print-directory", "serve"]
    if VENV != ROOT / ".venv":
        make_serve += [f"VENV={VENV}", "-o", f"{VENV}/.installed"]
    servers = []
    for index in range(set_up["servers"]):
        port = PORTS[index]
        process = spawn(make_serve, {**environment, "BIND": f"127.0.0.1:{port}"}, f"scale-{index}")
        servers.append(process)
        wait_until_up(f"scale-{index}", port, process)
    return servers


def check(servers: list[subprocess.Popen]) -> None:
    """Every server answers one URL of each kind with 200."""
    for index in range(len(servers)):
        for path in (f"{API}/reports/?page_size=1", "/sites/", "/ar/sites/"):
            serve_bench.PORTS[f"scale-{index}"] = PORTS[index]
            status, _ = serve_bench.fetch(f"scale-{index}", path)
            if status != 200:
                raise SystemExit(f"scale-{index} answered {status} for {path}")


def load(set_up: dict, kind: str, duration: int, swap: int) -> list[str]:
    """wrk against each server at once, the connections shared out: one server walks the
    whole list; of two, each walks its half (on the second pass, the other half)."""
    servers = set_up["servers"]
    connections = CONNECTIONS // servers
    if servers == 1:
        lists = [WORK / f"urls-scale-{kind}-all.txt"]
    else:
        lists = [WORK / f"urls-scale-{kind}-{(index + swap) % 2}.txt" for index in range(servers)]
    running = [
        subprocess.Popen(
            [
                "wrk",
                f"-t{THREADS}",
                f"-c{connections}",
                f"-d{duration}s",
                "--latency",
                "-H",
                f"Host: {HOST}",
                "-s",
                str(ROOT / "bench" / "varied.lua"),
                f"http://127.0.0.1:{PORTS[index]}",
                "--",
                str(paths),
                str(THREADS),
                str(connections),
            ],  # fmt: skip
            stdout=subprocess.PIPE,
            text=True,
        )
        for index, paths in enumerate(lists)
    ]
    return [process.communicate()[0] for process in running]


def redis_hits() -> tuple[int, int]:
    """Redis's keyspace hits and misses so far (the whole server's: nothing else uses it)."""
    stats = redis.Redis.from_url(REDIS_URL).info("stats")
    return int(stats["keyspace_hits"]), int(stats["keyspace_misses"])


def database_stats(url: str) -> tuple[int, int]:
    """(transactions, rows returned) of the benchmark database on that server so far."""
    name = url.rpartition("/")[2]
    with psycopg2.connect(url, connect_timeout=3) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched "
            "FROM pg_stat_database WHERE datname = %s",
            [name],
        )
        row = cursor.fetchone()
    connection.close()
    return (int(row[0]), int(row[1])) if row else (0, 0)


if __name__ == "__main__":
    sys.exit(main())
