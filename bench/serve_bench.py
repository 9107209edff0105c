"""The serving benchmark (issues 6 and 12): our API under `make serve` against datasette over
a SQLite export of the same data and against a bare WSGI app (psycopg2 + orjson, the same
gunicorn settings), loaded with wrk, servers alternated A B C A B C per scenario. First varied
traffic (issue 12: every connection walks its own slice of a list of distinct URLs, see
bench/varied.lua): a crawl of every page, report details, filtered lists and a mix; then one
URL repeated per run (what our kept answers serve); then the admin's server times and the
workers' memory. Prints every run and a summary against the targets.

    .venv/bin/python bench/serve_bench.py                  # make bench runs this
    .venv/bin/python bench/serve_bench.py --only varied --duration 15

Set-up it does itself: the PostgreSQL database BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/heritage_bench) is created, migrated and filled by
generate_bench_data at full scale when it does not hold the benchmark data yet; the SQLite
export for datasette is made when missing. Needs wrk (Debian package `wrk`).
"""

import argparse
import base64
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
# The virtualenv this script runs in (the checkout's .venv under make bench; another one when
# run as /elsewhere/.venv/bin/python bench/serve_bench.py), for every program started here.
VENV = Path(sys.prefix) if sys.prefix != sys.base_prefix else ROOT / ".venv"
BIN = VENV / "bin"
WORK = ROOT / "var" / "bench"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heritage_bench"
)
SCALE = ["--sites", "1000", "--monuments", "20000", "--articles", "50000", "--reports", "200000"]
# "ours" as `make serve` runs by default; "uncached" with API_CACHE_ENTRIES=0, so that every
# request is computed (the cost of a URL nobody asked for yet).
PORTS = {"ours": 8001, "uncached": 8005, "bare": 8002, "datasette": 8003}
DURATION, THREADS, CONNECTIONS, WARM_UP = 15, 2, 16, 3
# Varied traffic (issue 12): the URL lists, built from the data with this seed.
SEED = 12
VARIED = ["crawl", "detail", "filtered", "mix"]
DETAILS, FILTERS, MIX = 3000, 1500, {"crawl": 1200, "detail": 600, "filtered": 200}
SAMPLE = 20  # URLs of each list fetched from every server before the runs
MAX_PAGES = 10_000  # a bound on following `next` links
SEARCH = "monument 1742"
API = "/api/v1"
DATASETTE_PAGE = "_shape=array&_json=citations"
FILTER = {
    "country": "SY",
    "damage_type": "looting",
    "occurred_after": "2015-01-01",
    "occurred_before": "2016-12-31",
}


@dataclass
class Run:
    endpoint: str
    server: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    bad_responses: int  # non-2xx responses and socket errors
    non_2xx: int = 0
    socket_errors: int = 0
    requests: int = 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=DURATION, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="A B C rounds per endpoint")
    parser.add_argument(
        "--only",
        choices=["varied", "repeated"],
        help="only the varied-URL scenarios, or only the repeated-URL runs and the admin",
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install wrk")
        return 1
    WORK.mkdir(parents=True, exist_ok=True)
    prepare_database()
    sqlite_file = WORK / "heritage.db"
    if not sqlite_file.exists():
        run([BIN / "python", ROOT / "bench" / "export_sqlite.py", DATABASE_URL, sqlite_file])
    endpoints = endpoints_of_the_data()
    servers = start_servers(sqlite_file)
    varied_failed = repeated_failed = 0
    try:
        check_same_answers(endpoints)
        if options.only != "repeated":
            lists = varied_lists()
            check_lists(lists)
            varied = load_varied(lists, options.duration, options.rounds)
            memory = {name: worker_rss_mb(process) for name, process in servers.items()}
            varied_failed = summarise_varied(varied, lists, memory)
        if options.only != "varied":
            print("\n=== Repeated URL (kept answers): one URL a run ===")
            runs = load(endpoints, options.duration, options.rounds)
            memory = {name: worker_rss_mb(process) for name, process in servers.items()}
    finally:
        for process in servers.values():
            stop(process)
    if options.only == "varied":
        return varied_failed
    admin = subprocess.run(
        [BIN / "python", ROOT / "bench" / "admin_timings.py"],
        env={**os.environ, "DATABASE_URL": DATABASE_URL},
        capture_output=True,
        text=True,
    )
    print()
    print(admin.stdout + admin.stderr)
    repeated_failed = summarise(runs, memory)
    return varied_failed or repeated_failed or admin.returncode


def prepare_database() -> None:
    """Create, migrate and fill the benchmark database unless it is ready."""
    server, _, name = DATABASE_URL.rpartition("/")
    # Not `with connection`: since psycopg2 2.9 that opens a transaction even in autocommit
    # mode, and CREATE DATABASE refuses to run in one.
    admin_connection = psycopg2.connect(f"{server}/postgres")
    admin_connection.autocommit = True
    with admin_connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin_connection.close()
    env = manage_env()
    run([BIN / "python", "manage.py", "migrate", "--verbosity", "0"], env=env)
    with psycopg2.connect(DATABASE_URL) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reports_damagereport")
        reports = cursor.fetchone()[0]
    connection.close()
    if reports < 200_000:
        print("Generating the benchmark data:")
        run([BIN / "python", "manage.py", "generate_bench_data", "--replace", *SCALE], env=env)
        (WORK / "heritage.db").unlink(missing_ok=True)


def manage_env() -> dict:
    return {**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_DEBUG": "1"}


def endpoints_of_the_data() -> dict[str, dict[str, str]]:
    """Each endpoint's path on ours and the bare app (the same) and on datasette."""
    with psycopg2.connect(DATABASE_URL) as connection, connection.cursor() as cursor:
        published = "FROM reports_damagereport WHERE status = 'published'"
        cursor.execute(f"SELECT id {published} ORDER BY occurred_on DESC, id DESC LIMIT 1")
        first_id = cursor.fetchone()[0]
        # The key of the 100,000th row: the next page starts 100,000 rows in.
        cursor.execute(
            f"SELECT occurred_on, id {published} ORDER BY occurred_on DESC, id DESC "
            "OFFSET 99999 LIMIT 1"
        )
        day, deep_id = cursor.fetchone()
    connection.close()
    key = json.dumps({"d": "next", "v": [day.isoformat(), deep_id]}, separators=(",", ":"))
    cursor_value = base64.urlsafe_b64encode(key.encode()).decode()
    api = API
    page = DATASETTE_PAGE
    filter_query = "&".join(f"{k}={v}" for k, v in FILTER.items())
    word1, word2 = SEARCH.split()
    return {
        "first page": {
            "api": f"{api}/reports/?page_size=100",
            "datasette": f"/heritage/reports_page.json?{page}&before_day=9999-12-31"
            "&before_id=9223372036854775807",
        },
        "deep page": {
            "api": f"{api}/reports/?cursor={cursor_value}&page_size=100",
            "datasette": f"/heritage/reports_page.json?{page}&before_day={day}"
            f"&before_id={deep_id}",
        },
        "detail": {
            "api": f"{api}/reports/{first_id}/",
            "datasette": f"/heritage/report.json?{page}&id={first_id}",
        },
        "sites geojson": {
            "api": f"{api}/sites/?format=geojson&page_size=100",
            "datasette": "/heritage/sites_page.json?_shape=array",
        },
        "filtered": {
            "api": f"{api}/reports/?{filter_query}&page_size=100",
            "datasette": f"/heritage/reports_filtered.json?{page}&country={FILTER['country']}"
            f"&damage_type={FILTER['damage_type']}&after={FILTER['occurred_after']}"
            f"&before={FILTER['occurred_before']}",
        },
        "search": {
            "api": f"{api}/reports/?search={word1}+{word2}&page_size=100",
            "datasette": f"/heritage/reports_search.json?{page}&word1={word1}&word2={word2}",
        },
    }


def start_servers(sqlite_file: Path) -> dict[str, subprocess.Popen]:
    gunicorn = {"GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "4"}
    ours_env = {
        **os.environ,
        **gunicorn,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_CONN_MAX_AGE": "60",
        # wrk is one client: the throttle still runs on every request but never refuses. Per
        # second, so that it keeps about as many timestamps as at the default 120/minute
        # (per minute it would keep and copy 25,000 on every request).
        "API_THROTTLE_RATE": "10000/second",
        "BIND": f"127.0.0.1:{PORTS['ours']}",
    }
    make_serve = ["make", "--no-print-directory", "serve"]
    if VENV != ROOT / ".venv":
        # make serve with this virtualenv, as it is: not rebuilt from this checkout's
        # requirements.txt (it is another checkout's, or made by hand).
        make_serve += [f"VENV={VENV}", "-o", f"{VENV}/.installed"]
    commands = {
        "ours": (make_serve, ours_env),
        "uncached": (
            make_serve,
            {**ours_env, "API_CACHE_ENTRIES": "0", "BIND": f"127.0.0.1:{PORTS['uncached']}"},
        ),
        "bare": (
            [
                BIN / "gunicorn",
                "--chdir",
                ROOT / "bench",
                "bare_wsgi:application",
                "--bind",
                f"127.0.0.1:{PORTS['bare']}",
                "--workers",
                gunicorn["GUNICORN_WORKERS"],
                "--threads",
                gunicorn["GUNICORN_THREADS"],
            ],  # fmt: skip
            {**os.environ, "DATABASE_URL": DATABASE_URL},
        ),
        "datasette": (
            [
                BIN / "datasette",
                "serve",
                "--immutable",
                sqlite_file,
                "--metadata",
                ROOT / "bench" / "datasette.yml",
                "--port",
                str(PORTS["datasette"]),
                "--setting",
                "sql_time_limit_ms",
                "10000",
            ],  # fmt: skip
            dict(os.environ),
        ),
    }
    servers = {}
    for name, (command, env) in commands.items():  # one by one: make serve runs collectstatic
        servers[name] = spawn(command, env, name)
        wait_until_up(name, PORTS[name], servers[name])
    return servers


def spawn(command: list, env: dict, name: str) -> subprocess.Popen:
    log = (WORK / f"{name}.log").open("w")
    return subprocess.Popen(
        [str(part) for part in command],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # so stop() ends make's gunicorn too
    )


def wait_until_up(name: str, port: int, process: subprocess.Popen) -> None:
    path = {"datasette": "/-/versions.json", "bare": "/"}.get(name, "/healthz")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} did not start: see {WORK / (name + '.log')}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{name} did not answer on port {port} within two minutes")


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def fetch(server: str, path: str) -> tuple[int, bytes]:
    url = f"http://127.0.0.1:{PORTS[server]}{path}"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def check_same_answers(endpoints: dict) -> None:
    """Before measuring: ours and the bare app give equal JSON, and datasette the same rows
    (report ids or site slugs, in the same order)."""
    print("Checking that the servers answer the same:")
    for name, paths in endpoints.items():
        answers = {}
        for server in PORTS:
            status, body = fetch(server, paths["datasette" if server == "datasette" else "api"])
            if status != 200:
                raise SystemExit(f"{server} answered {status} for {name}: {body[:300]!r}")
            text = body.decode().replace(f"127.0.0.1:{PORTS[server]}", "HOST")
            answers[server] = json.loads(text)
        if not answers["ours"] == answers["uncached"] == answers["bare"]:
            raise SystemExit(f"the bare app's JSON differs from ours for {name}")
        ours = rows_of(answers["ours"])
        theirs = [row.get("slug", row.get("id")) for row in answers["datasette"]]
        if ours != theirs:
            raise SystemExit(f"datasette's rows differ from ours for {name}")
        print(f"  {name:14} {len(ours):4} rows, the same from every server")


def rows_of(answer: dict) -> list:
    if "features" in answer:
        return [feature["id"] for feature in answer["features"]]
    if "results" in answer:
        return [report["id"] for report in answer["results"]]
    return [answer["id"]]


def varied_lists() -> dict[str, dict[str, list[str]]]:
    """The URL lists of the varied scenarios, each as paths for ours (and uncached and the
    bare app, which take the same URLs) and the equivalent paths for datasette, line for
    line; written to var/bench/urls-<scenario>-<api|datasette>.txt for bench/varied.lua.

    - crawl: every cursor page of 100 published reports, newest first, as a client following
      `next` links gets them (followed once, on the uncached server: the same code as ours,
      so that ours keeps none of them). Datasette's equivalent of a page is its keyset query
      started after the same report: our cursor holds the day and id of the previous page's
      last report, datasette's reports_page takes them as before_day and before_id, and both
      ask (occurred_on, id) < that key, newest first, 100 rows; the first page is "before
      9999-12-31, id 2^63 - 1".
    - detail: DETAILS published reports drawn at random (seed SEED): /reports/<id>/, and
      datasette's report query with that id.
    - filtered: FILTERS distinct combinations of country x damage type x a range of years
      (from 1 January of one year to 31 December of the same or a later one), drawn from
      every combination the data hold; the first page of 100 of each, and datasette's
      reports_filtered with the same four values.
    - mix: MIX of the lists above (60 % crawl, 30 % detail, 10 % filtered), drawn without
      repetition and shuffled, seed SEED + 2.
    """
    lists = {"crawl": crawl_pages()}
    with psycopg2.connect(DATABASE_URL) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM reports_damagereport WHERE status = 'published' ORDER BY id"
        )
        ids = random.Random(SEED).sample([row[0] for row in cursor.fetchall()], DETAILS)
        cursor.execute("SELECT DISTINCT countries FROM sites_heritagesite")
        countries = sorted({code for (codes,) in cursor.fetchall() for code in codes.split(",")})
        cursor.execute(
            "SELECT DISTINCT damage_type FROM reports_damagereport WHERE status = 'published' "
            "ORDER BY 1"
        )
        damage_types = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT min(occurred_on), max(occurred_latest) FROM reports_damagereport "
            "WHERE status = 'published'"
        )
        first_day, last_day = cursor.fetchone()
    connection.close()
    lists["detail"] = {
        "api": [f"{API}/reports/{id_}/" for id_ in ids],
        "datasette": [f"/heritage/report.json?{DATASETTE_PAGE}&id={id_}" for id_ in ids],
    }
    years = range(first_day.year, last_day.year + 1)
    combinations = [
        (country, damage_type, start, end)
        for country in countries
        for damage_type in damage_types
        for start in years
        for end in years
        if start <= end
    ]
    chosen = random.Random(SEED + 1).sample(combinations, FILTERS)
    lists["filtered"] = {
        "api": [
            f"{API}/reports/?country={country}&damage_type={damage_type}"
            f"&occurred_after={start}-01-01&occurred_before={end}-12-31&page_size=100"
            for country, damage_type, start, end in chosen
        ],
        "datasette": [
            f"/heritage/reports_filtered.json?{DATASETTE_PAGE}&country={country}"
            f"&damage_type={damage_type}&after={start}-01-01&before={end}-12-31"
            for country, damage_type, start, end in chosen
        ],
    }
    rng = random.Random(SEED + 2)
    pairs = []
    for name, count in MIX.items():
        for index in rng.sample(range(len(lists[name]["api"])), count):
            pairs.append((lists[name]["api"][index], lists[name]["datasette"][index]))
    rng.shuffle(pairs)
    lists["mix"] = {"api": [api for api, _ in pairs], "datasette": [theirs for _, theirs in pairs]}
    for name, paths in lists.items():
        for kind, lines in paths.items():
            list_file(name, kind).write_text("".join(f"{line}\n" for line in lines))
    return lists


def crawl_pages() -> dict[str, list[str]]:
    path: str | None = f"{API}/reports/?page_size=100"
    pages = []
    while path is not None and len(pages) < MAX_PAGES:
        pages.append(path)
        status, body = fetch("uncached", path)
        if status != 200:
            raise SystemExit(f"uncached answered {status} for {path} while crawling")
        link = json.loads(body)["next"]
        path = None if link is None else urlsplit(link)._replace(scheme="", netloc="").geturl()
    if path is not None:
        raise SystemExit(f"the crawl did not end within {MAX_PAGES} pages")
    return {"api": pages, "datasette": [datasette_page(page) for page in pages]}


def datasette_page(api_path: str) -> str:
    """Datasette's keyset page equal to one of our cursor pages (see varied_lists)."""
    cursor = parse_qs(urlsplit(api_path).query).get("cursor")
    day, last_id = "9999-12-31", 2**63 - 1
    if cursor:
        value = cursor[0]
        key = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
        if key["d"] != "next":
            raise SystemExit(f"a crawl page with a backwards cursor: {api_path}")
        day, last_id = key["v"]
    return f"/heritage/reports_page.json?{DATASETTE_PAGE}&before_day={day}&before_id={last_id}"


def list_file(name: str, kind: str) -> Path:
    return WORK / f"urls-{name}-{kind}.txt"


def check_lists(lists: dict) -> None:
    """Before loading a list: SAMPLE of its URLs, fetched from every server, answer 200 and
    the same rows (report ids, in order) from each; also counted: how often our JSON equals
    the bare app's byte for byte (hosts aside). Ours keeps the answers it gives here: at most
    SAMPLE of a list's hundreds or thousands."""
    print(f"\nChecking {SAMPLE} URLs of each list on every server:")
    rng = random.Random(SEED + 3)
    for name, paths in lists.items():
        same_json = rows = empty = 0
        for index in sorted(rng.sample(range(len(paths["api"])), SAMPLE)):
            answers = {}
            for server in PORTS:
                path = paths["datasette" if server == "datasette" else "api"][index]
                status, body = fetch(server, path)
                if status != 200:
                    raise SystemExit(f"{server} answered {status} for {path}: {body[:300]!r}")
                text = body.decode().replace(f"127.0.0.1:{PORTS[server]}", "HOST")
                answers[server] = json.loads(text)
            ids = {
                server: [row["id"] for row in answer] if server == "datasette" else rows_of(answer)
                for server, answer in answers.items()
            }
            if not ids["ours"] == ids["uncached"] == ids["bare"] == ids["datasette"]:
                raise SystemExit(f"the servers' rows differ for {name}: {paths['api'][index]}")
            same_json += answers["ours"] == answers["bare"]
            rows += len(ids["ours"])
            empty += not ids["ours"]
        print(
            f"  {name:9} {len(paths['api']):5} URLs; {SAMPLE} checked: 200 and the same ids from "
            f"every server ({rows} rows, {empty} empty pages); ours' JSON equal to bare's in "
            f"{same_json} of {SAMPLE}"
        )


def load_varied(lists: dict, duration: int, rounds: int) -> list[Run]:
    print("\n=== Varied traffic (issue 12): each connection walks its own slice of a list ===")
    print(
        f"wrk: {THREADS} threads, {CONNECTIONS} connections, {duration} s a run, bench/varied.lua"
    )
    print(
        "Round r of R starts every walk r/(R+1) of the way into its slice (the warm-up at 0); "
        "'walked' is the run's requests over the list's length."
    )
    print(
        f"{'scenario':9} {'server':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} "
        f"{'sock err':>8} {'walked':>7}"
    )
    runs = []
    phases = rounds + 1
    for name in VARIED:
        for server in PORTS:  # warm up connections and the servers' code, not counted
            wrk_varied(server, name, WARM_UP, 0, phases)
        for round_ in range(1, rounds + 1):
            for server in PORTS:
                run_ = parse_wrk(name, server, wrk_varied(server, name, duration, round_, phases))
                runs.append(run_)
                print(
                    f"{name:9} {server:10} {run_.requests_per_second:8.0f} {run_.p50_ms:8.1f} "
                    f"{run_.p99_ms:8.1f} {run_.non_2xx:8} {run_.socket_errors:8} "
                    f"{run_.requests / len(lists[name]['api']):6.2f}x"
                )
    return runs


def wrk_varied(server: str, name: str, duration: int, phase: int, phases: int) -> str:
    paths = list_file(name, "datasette" if server == "datasette" else "api")
    command = [
        "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency",
        "-s", ROOT / "bench" / "varied.lua", f"http://127.0.0.1:{PORTS[server]}",
        "--", paths, THREADS, CONNECTIONS, phase, phases,
    ]  # fmt: skip
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=True
    ).stdout


def summarise_varied(runs: list[Run], lists: dict, memory: dict) -> int:
    def mean(scenario: str, server: str, field: str) -> float:
        values = [getattr(r, field) for r in runs if r.endpoint == scenario and r.server == server]
        return statistics.mean(values)

    def total(scenario: str, server: str, field: str) -> int:
        return sum(
            getattr(r, field) for r in runs if r.endpoint == scenario and r.server == server
        )

    print("\nVaried traffic, means of the rounds (errors: totals of the rounds)")
    print(
        f"{'scenario':9} {'URLs':>5} {'server':10} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'non-2xx':>8} {'sock err':>8}"
    )
    for scenario in VARIED:
        for server in PORTS:
            speed, p50, p99 = (
                mean(scenario, server, field)
                for field in ("requests_per_second", "p50_ms", "p99_ms")
            )
            print(
                f"{scenario:9} {len(lists[scenario]['api']):5} {server:10} {speed:7.0f} "
                f"{p50:7.1f} {p99:7.1f} {total(scenario, server, 'non_2xx'):8} "
                f"{total(scenario, server, 'socket_errors'):8}"
            )
    print("\nRatios of req/s")
    print(
        f"{'scenario':9} {'ours/bare':>10} {'ours/datasette':>15} {'uncached/bare':>14} "
        f"{'ours/uncached':>14}"
    )
    checks = []
    for scenario in VARIED:
        ours, uncached, bare, datasette = (
            mean(scenario, server, "requests_per_second")
            for server in ("ours", "uncached", "bare", "datasette")
        )
        p99 = mean(scenario, "ours", "p99_ms")
        print(
            f"{scenario:9} {ours / bare:9.2f}x {ours / datasette:14.2f}x {uncached / bare:13.2f}x "
            f"{ours / uncached:13.2f}x"
        )
        checks += [
            (f"{scenario}: ours >= 0.5x bare ({ours / bare:.2f}x)", ours >= 0.5 * bare),
            (f"{scenario}: ours >= 1.5x datasette ({ours / datasette:.2f}x)",
             ours >= 1.5 * datasette),
            (f"{scenario}: ours p99 < 250 ms ({p99:.0f} ms)", p99 < 250),
        ]  # fmt: skip
    bad = sum(r.bad_responses for r in runs if r.server != "datasette")
    datasette_bad = sum(r.bad_responses for r in runs if r.server == "datasette")
    workers = memory["ours"] + memory["uncached"]
    checks += [
        (f"no non-2xx response or socket error, ours, uncached and bare ({bad})", bad == 0),
        (f"every worker of ours under 200 MB after the varied runs (largest {max(workers):.0f})",
         all(mb < 200 for mb in workers)),
    ]  # fmt: skip
    print("\nMemory after the varied runs (MB of RSS): " + "; ".join(
        f"{name} {', '.join(f'{mb:.0f}' for mb in sizes)}" for name, sizes in memory.items()
    ))  # fmt: skip
    print(f"Datasette's non-2xx responses and socket errors: {datasette_bad}")
    print("\nTargets, varied traffic:")
    for name, met in checks:
        print(f"  {'met   ' if met else 'MISSED'} {name}")
    return 0 if bad == 0 else 1


def load(endpoints: dict, duration: int, rounds: int) -> list[Run]:
    print(f"\nwrk: {THREADS} threads, {CONNECTIONS} connections, {duration} s a run")
    print(f"{'endpoint':14} {'server':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    runs = []
    for name, paths in endpoints.items():
        for server in PORTS:  # warm caches and connections, not counted
            wrk(server, paths, WARM_UP)
        for _ in range(rounds):
            for server in PORTS:
                run_ = parse_wrk(name, server, wrk(server, paths, duration))
                runs.append(run_)
                print(
                    f"{name:14} {server:10} {run_.requests_per_second:8.0f} "
                    f"{run_.p50_ms:8.1f} {run_.p99_ms:8.1f} {run_.bad_responses:8}"
                )
    return runs


def wrk(server: str, paths: dict, duration: int) -> str:
    path = paths["datasette" if server == "datasette" else "api"]
    url = f"http://127.0.0.1:{PORTS[server]}{path}"
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", url]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(endpoint: str, server: str, output: str) -> Run:
    def latency(percentile: str) -> float:
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return float(match[1]) * UNITS[match[2]]

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = int(bad[1]) if bad else 0
    socket_errors = sum(int(n) for n in errors.groups()) if errors else 0
    return Run(
        endpoint=endpoint,
        server=server,
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        bad_responses=non_2xx + socket_errors,
        non_2xx=non_2xx,
        socket_errors=socket_errors,
        requests=int(re.search(r"(\d+) requests in", output)[1]),
    )


def worker_rss_mb(process: subprocess.Popen) -> list[float]:
    """Resident memory of the serving processes: gunicorn's workers (the children of its
    master, which make starts), or datasette's one process."""
    family = [process.pid, *descendants(process.pid)]
    masters = [pid for pid in family if "gunicorn" in cmdline(pid) and descendants(pid)]
    if masters:
        return [rss_mb(pid) for pid in descendants(masters[0])]
    return [rss_mb(pid) for pid in family if "datasette" in cmdline(pid)]


def descendants(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children + [grandchild for child in children for grandchild in descendants(child)]


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


def rss_mb(pid: int) -> float:
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def summarise(runs: list[Run], memory: dict) -> int:
    def mean(endpoint: str, server: str, field: str) -> float:
        values = [getattr(r, field) for r in runs if r.endpoint == endpoint and r.server == server]
        return statistics.mean(values)

    print("\nRepeated URL (kept answers): means of the rounds; ratios are our req/s over theirs.")
    print(
        f"{'endpoint':14} {'ours req/s':>10} {'p50':>6} {'p99':>6} {'uncached':>9} {'p99':>6} "
        f"{'datasette':>10} {'bare':>6} {'ours/datasette':>15} {'ours/bare':>10} "
        f"{'uncached/bare':>14}"
    )
    for endpoint in dict.fromkeys(r.endpoint for r in runs):
        ours = mean(endpoint, "ours", "requests_per_second")
        uncached = mean(endpoint, "uncached", "requests_per_second")
        datasette = mean(endpoint, "datasette", "requests_per_second")
        bare = mean(endpoint, "bare", "requests_per_second")
        print(
            f"{endpoint:14} {ours:10.0f} {mean(endpoint, 'ours', 'p50_ms'):6.1f} "
            f"{mean(endpoint, 'ours', 'p99_ms'):6.1f} {uncached:9.0f} "
            f"{mean(endpoint, 'uncached', 'p99_ms'):6.1f} {datasette:10.0f} {bare:6.0f} "
            f"{ours / datasette:14.2f}x {ours / bare:9.2f}x {uncached / bare:13.2f}x"
        )
    first = mean("first page", "ours", "requests_per_second")
    # A cursor nobody asked for yet is computed: compare the computed costs.
    deep = mean("deep page", "uncached", "requests_per_second")
    first_computed = mean("first page", "uncached", "requests_per_second")
    bad = sum(r.bad_responses for r in runs if r.server != "datasette")
    datasette_bad = sum(r.bad_responses for r in runs if r.server == "datasette")
    checks = [
        ("first page >= 2x datasette",
         first >= 2 * mean("first page", "datasette", "requests_per_second")),
        ("first page >= 0.5x bare",
         first >= 0.5 * mean("first page", "bare", "requests_per_second")),
        ("first page p99 < 100 ms", mean("first page", "ours", "p99_ms") < 100),
        ("deep page costs <= 1.3x the first (both computed)", first_computed / deep <= 1.3),
        ("detail >= datasette",
         mean("detail", "ours", "requests_per_second")
         >= mean("detail", "datasette", "requests_per_second")),
        ("no non-2xx response or socket error (ours and bare)", bad == 0),
        ("every worker under 200 MB",
         all(mb < 200 for mb in memory["ours"] + memory["uncached"])),
    ]  # fmt: skip
    print("\nMemory after the load (MB of RSS): " + "; ".join(
        f"{name} {', '.join(f'{mb:.0f}' for mb in sizes)}" for name, sizes in memory.items()
    ))  # fmt: skip
    print(
        f"Computed, a deep page costs {first_computed / deep:.2f}x the first page; "
        f"non-2xx responses and socket errors: {bad} (datasette's: {datasette_bad}, "
        "timeouts of its slow queries)"
    )
    print("\nTargets, repeated URL (kept answers):")
    for name, met in checks:
        print(f"  {'met   ' if met else 'MISSED'} {name}")
    return 0 if bad == 0 else 1


def run(command: list, env: dict | None = None) -> None:
    subprocess.run([str(part) for part in command], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    sys.exit(main())
