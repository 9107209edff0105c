"""Reads from a PostgreSQL hot standby (heritage.read_replicas), against the real one that
.ci/start-replica runs on 127.0.0.1:5433, streaming from the primary the suite uses. The test
database made on the primary is replayed there under the same name (TEST MIRROR), so these
tests commit (the standby sees only what the primary committed) and wait until the standby
has replayed what they wrote. Pausing its replay (pg_wal_replay_pause) makes lag visible.

Skipped where no standby runs (a developer's machine: run .ci/start-replica as root), never
in CI, which starts one."""

import csv
import io
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import psycopg2
import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from heritage import read_replicas
from reports.images import clean_upload
from reports.models import DamageReport, PublicDataVersion
from reports.services import evidence_attach
from sites.models import HeritageSite
from tests.admin_pages import admin_url, form_values
from tests.factories import make_published_report
from tests.heritage.test_production import documented_production_environment, run
from tests.images import jpeg

REPLICA = "replica1"
DOWN = "replica_down"  # nothing listens on its port
SECOND = "replica2"  # the same standby again
ALIASES = ["default", REPLICA, SECOND, DOWN]

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="read replicas are PostgreSQL hot standbys: run the suite with "
        "DATABASE_URL=postgres://… (and .ci/start-replica)",
    ),
    pytest.mark.django_db(transaction=True, databases=ALIASES),
]

# Every kind of public read: the API's JSON, GeoJSON, CSV stream, one record, the change
# feed; the pages in both languages, a search, the Atom feed.
PUBLIC_READS = [
    "/api/v1/reports/",
    "/api/v1/sites/?format=geojson",
    "/api/v1/reports/?format=csv",
    "/api/v1/sites/palmyra/",
    "/api/v1/changes/",
    "/",
    "/ar/",
    "/sites/palmyra/",
    "/search/?q=temple",
    "/feeds/reports.atom",
]


def _standby_cursor():
    """A connection to the standby's own `postgres` database (the test database may not be
    replayed there yet)."""
    options = connections[REPLICA].settings_dict
    return psycopg2.connect(
        host=options["HOST"],
        port=options["PORT"],
        user=options["USER"],
        password=options["PASSWORD"],
        dbname="postgres",
        connect_timeout=2,
    )


def _primary_value(sql: str):
    with connections["default"].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def wait_for_standby(what: str = "replay", timeout: float = 30.0) -> None:
    """Wait until the standby has received (`what`="receive") or replayed everything the
    primary has written so far. Polls: PostgreSQL 15 has no function that waits for it."""
    position = _primary_value("SELECT pg_current_wal_lsn()")
    function = "pg_last_wal_receive_lsn" if what == "receive" else "pg_last_wal_replay_lsn"
    deadline = time.monotonic() + timeout
    with _standby_cursor() as standby, standby.cursor() as cursor:
        while True:
            cursor.execute(f"SELECT {function}() >= %s::pg_lsn", [position])  # noqa: S608
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"The standby did not {what} the primary's WAL in {timeout} s.")
            time.sleep(0.02)


def _standby_problem() -> str | None:
    """Why the standby cannot serve these tests, or None."""
    options = connections[REPLICA].settings_dict
    where = f"{options['HOST']}:{options['PORT']}"
    try:
        with _standby_cursor() as standby, standby.cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), system_identifier FROM pg_control_system()"
            )
            in_recovery, system = cursor.fetchone()
            if in_recovery:
                cursor.execute("SELECT pg_wal_replay_resume()")  # a run stopped while paused
    except psycopg2.OperationalError as error:
        return f"no hot standby answers on {where} ({str(error).strip().splitlines()[0]})"
    if not in_recovery:
        return f"{where} is not a hot standby (pg_is_in_recovery() is false)"
    if system != _primary_value("SELECT system_identifier FROM pg_control_system()"):
        return f"{where} is a standby of another primary than the suite's"
    return None


@pytest.fixture(scope="module", autouse=True)
def standby(django_db_setup, django_db_blocker) -> None:
    """Skips these tests, once and saying why, where no standby runs; fails them in CI."""
    with django_db_blocker.unblock():
        problem = _standby_problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have a hot standby (.ci/start-replica): {problem}")
        pytest.skip(f"Read replica tests: {problem}. Start one with .ci/start-replica (as root).")


@pytest.fixture
def replica(settings, caplog) -> Iterator[str]:
    """The standby as the one replica (settings.DATABASE_REPLICAS), caught up with the
    primary, its health not yet asked; replay resumed afterwards, whatever happened."""
    settings.DATABASE_REPLICAS = [REPLICA]
    settings.DATABASE_REPLICA_MAX_LAG = 0  # the tests that want a limit set it
    read_replicas.forget_health()
    caplog.set_level(logging.WARNING, logger="heritage.read_replicas")
    wait_for_standby()
    yield REPLICA
    with _standby_cursor() as standby, standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    read_replicas.forget_health()
    # The standby's connections to the test database would hold up its removal there.
    for alias in (REPLICA, SECOND, DOWN):
        connections[alias].close()


@contextmanager
def replay_paused() -> Iterator[None]:
    """The standby stops applying what the primary writes (it still receives it)."""
    with _standby_cursor() as standby, standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            cursor.execute("SELECT pg_wal_replay_resume()")


@contextmanager
def queries_by_alias(*aliases: str) -> Iterator[dict[str, CaptureQueriesContext]]:
    with ExitStack() as stack:
        yield {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in aliases
        }


def get(client, path: str):
    """GET `path`, reading a streamed answer to its end (it reads the database as it goes)."""
    response = client.get(path)
    if response.streaming:
        response.body = b"".join(response.streaming_content)
    else:
        response.body = response.content
    return response


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def sign_in_to_the_admin(client, user) -> None:
    client.force_login(user)
    assert client.get("/admin/").status_code == 200  # the admin leaves its cookie


def report_ids(client) -> set[int]:
    return {report["id"] for report in client.get("/api/v1/reports/").json()["results"]}


def test_public_reads_go_to_the_replica_and_nothing_to_the_primary(client, demo, replica):
    wait_for_standby()
    report = DamageReport.objects.public().first()
    evidence = evidence_attach(
        report=report, image=clean_upload(jpeg()), caption="c", credit="c", licence="cc-by-4.0"
    )
    wait_for_standby()
    paths = [
        *PUBLIC_READS,
        f"/api/v1/reports/{report.pk}/",
        f"/api/v1/reports/{report.pk}/?format=csv",
        f"/reports/{report.pk}/",
        f"/evidence/{evidence.pk}/web/",
    ]
    for path in paths:
        with queries_by_alias("default", replica) as queries:
            response = get(client, path)
        assert response.status_code == 200, (path, response.body[:300])
        assert len(queries[replica]) > 0, path
        assert len(queries["default"]) == 0, (path, [q["sql"] for q in queries["default"]])
    rows = csv_rows(get(client, "/api/v1/reports/?format=csv").body.decode())
    assert len(rows) == DamageReport.objects.public().count() + 1


def test_the_admin_and_writes_use_the_primary(client, demo, replica, editor):
    sign_in_to_the_admin(client, editor)
    site = HeritageSite.objects.get(slug="palmyra")
    change = admin_url(HeritageSite, "change", site.pk)
    with queries_by_alias("default", replica) as queries:
        assert client.get(admin_url(DamageReport, "changelist")).status_code == 200
        form = client.get(change)
        values = form_values(form)
        values["name"] = ["Palmyra, renamed"]
        assert client.post(change, values).status_code == 302
    assert len(queries["default"]) > 0
    assert len(queries[replica]) == 0, [q["sql"] for q in queries[replica]]
    assert HeritageSite.objects.get(pk=site.pk).name == "Palmyra, renamed"


def test_requests_take_the_replicas_in_turn_and_skip_one_that_is_down(
    client, demo, replica, settings, caplog
):
    """Two replicas well (two aliases of the one standby: which alias each request reads is
    what is shown) and one down: requests alternate between the two, never the one down,
    whose failed check is logged once."""
    settings.DATABASE_REPLICAS = [DOWN, replica, SECOND]
    settings.DATABASE_REPLICA_CHECK_SECONDS = 3600
    read_replicas.replicas_health()  # asked once, before the requests counted
    answered_by = []
    for _ in range(6):
        with queries_by_alias("default", replica, SECOND) as queries:
            assert client.get("/api/v1/reports/").status_code == 200
        readers = [alias for alias, captured in queries.items() if len(captured)]
        assert len(readers) == 1, readers  # one database answers a whole request
        answered_by.append(readers[0])
    assert set(answered_by) == {replica, SECOND}
    assert all(a != b for a, b in zip(answered_by, answered_by[1:], strict=False))
    downs = [r for r in caplog.records if f"Read replica {DOWN} does not answer" in r.message]
    assert len(downs) == 1
    health = client.get("/healthz").json()
    assert health["replicas"] == {DOWN: "down", replica: "up", SECOND: "up"}


def test_when_no_replica_is_well_the_primary_answers(client, demo, replica, settings):
    settings.DATABASE_REPLICAS = [DOWN]
    with queries_by_alias("default") as queries:
        response = client.get("/api/v1/reports/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == DamageReport.objects.public().count()
    assert len(queries["default"]) > 0


@pytest.mark.parametrize("path", ["/api/v1/reports/", "/sites/palmyra/"])
def test_a_replica_that_fails_after_its_check_is_replaced_by_the_primary_at_once(
    demo, replica, caplog, path
):
    """The standby passes its health check, then stops answering (here: its address now
    refuses connections) before the next check is due: the request that finds it gone (the
    API's 503, a page's 500) is answered again by the primary, and the replica is skipped
    from then on."""
    client = Client(raise_request_exception=False)  # as a server: the error is answered
    assert client.get(path).status_code == 200  # checked: well
    options = connections[replica].settings_dict
    port = options["PORT"]
    connections[replica].close()
    options["PORT"] = "1"
    try:
        with queries_by_alias("default") as queries:
            response = client.get(path)
        assert response.status_code == 200
        assert "Palmyra" in response.content.decode()
        assert len(queries["default"]) > 0
        assert any("answered by the primary" in r.message for r in caplog.records)
        assert read_replicas.replicas_health() == {replica: "down"}
        assert client.get(path).status_code == 200  # straight to the primary, no retry:
        assert len([r for r in caplog.records if "answered by the primary" in r.message]) == 1
    finally:
        connections[replica].close()
        options["PORT"] = port
    read_replicas.forget_health()
    assert read_replicas.replicas_health() == {replica: "up"}


def test_the_health_check_is_one_query_every_few_seconds(client, demo, replica, settings):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 3600
    with queries_by_alias(replica) as queries:
        for _ in range(5):
            client.get("/api/v1/reports/")
    checks = [q for q in queries[replica] if "pg_last_wal_replay_lsn" in q["sql"]]
    assert len(checks) == 1


def test_under_lag_the_api_answers_the_replicas_data_filed_under_the_replicas_version(
    client, demo, replica, editor, settings
):
    """Replay paused: a publication commits on the primary. The public API still answers
    the replica's data, kept under the replica's (older) data version, while the admin shows
    the new report. Once the standby catches up, the API answers the new data: nothing was
    kept under the primary's new version from the replica's stale rows."""
    settings.CACHES = {
        **settings.CACHES,
        "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lag"},
    }
    caches["api"].clear()
    curator = client.__class__()
    sign_in_to_the_admin(curator, editor)
    before = report_ids(client)
    with replay_paused():
        new = make_published_report(summary="The lion statue was smashed.")
        wait_for_standby("receive")
        primary_version = PublicDataVersion.current(using="default")
        replica_version = PublicDataVersion.current(using=replica)
        assert replica_version < primary_version
        for _ in range(2):  # computed, then kept
            with queries_by_alias("default", replica) as queries:
                assert report_ids(client) == before
            assert len(queries["default"]) == 0
        # The admin reads the primary: the new report is there.
        changelist = curator.get(admin_url(DamageReport, "changelist"))
        assert new.summary in changelist.content.decode()
    wait_for_standby()
    assert report_ids(client) == before | {new.pk}
    caches["api"].clear()


def test_a_curator_sees_their_own_write_at_once(client, demo, replica, editor):
    """Replay paused: a curator renames a site in the admin. Their browser's public pages and
    API read the primary and show it; someone else's still read the replica. Signed out,
    the curator's browser reads the replica again."""
    curator = client.__class__()
    sign_in_to_the_admin(curator, editor)
    site = HeritageSite.objects.get(slug="palmyra")
    change = admin_url(HeritageSite, "change", site.pk)
    with replay_paused():
        values = form_values(curator.get(change))
        values["name"] = ["Palmyra (renamed)"]
        assert curator.post(change, values).status_code == 302
        with queries_by_alias("default", replica) as queries:
            assert "Palmyra (renamed)" in curator.get("/sites/palmyra/").content.decode()
            assert curator.get("/api/v1/sites/palmyra/").json()["name"] == "Palmyra (renamed)"
        assert len(queries[replica]) == 0
        assert "Palmyra (renamed)" not in client.get("/sites/palmyra/").content.decode()
        assert client.get("/api/v1/sites/palmyra/").json()["name"] == "Site of Palmyra"
        # A cookie of that name that the server did not sign sends no one to the primary.
        client.cookies[read_replicas.CURATOR_COOKIE] = "1"
        assert client.get("/api/v1/sites/palmyra/").json()["name"] == "Site of Palmyra"
        assert curator.post("/admin/logout/").status_code == 200
        assert curator.cookies[read_replicas.CURATOR_COOKIE].value == ""
        assert curator.get("/api/v1/sites/palmyra/").json()["name"] == "Site of Palmyra"


def test_the_curators_cookie_lasts_as_configured(client, demo, replica, editor, settings):
    sign_in_to_the_admin(client, editor)
    cookie = client.cookies[read_replicas.CURATOR_COOKIE]
    assert cookie["max-age"] == settings.DATABASE_CURATOR_PRIMARY_SECONDS
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    settings.DATABASE_CURATOR_PRIMARY_SECONDS = 0  # expired already
    with queries_by_alias("default", replica) as queries:
        client.get("/api/v1/sites/palmyra/")
    assert len(queries["default"]) == 0 and len(queries[replica]) > 0


def test_a_replica_too_far_behind_is_skipped(client, demo, replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 0.001  # seconds: any lag at all, for the test
    before = report_ids(client)
    with replay_paused():
        new = make_published_report(summary="The temple's cella fell.")
        wait_for_standby("receive")
        read_replicas.forget_health()
        with queries_by_alias("default", replica) as queries:
            assert report_ids(client) == before | {new.pk}
        assert read_replicas.replicas_health() == {replica: "down"}
        assert len(queries["default"]) > 0
    wait_for_standby()
    settings.DATABASE_REPLICA_MAX_LAG = 30
    read_replicas.forget_health()
    assert read_replicas.replicas_health() == {replica: "up"}


def test_export_release_reads_one_replica_in_one_snapshot(demo, replica, tmp_path):
    """Under lag, the release is the replica's data, whole: the primary is not read."""
    with replay_paused():
        make_published_report(summary="Published while the replica lags.")
        wait_for_standby("receive")
        with queries_by_alias("default", replica) as queries:
            call_command(
                "export_release", str(tmp_path), "--date", "2024-01-01", stdout=io.StringIO()
            )
    assert len(queries["default"]) == 0
    assert any("REPEATABLE READ" in q["sql"] for q in queries[replica])
    rows = csv_rows((tmp_path / "heritage-damage-2024-01-01" / "reports.csv").read_text())
    assert len(rows) - 1 == DamageReport.objects.public().count() - 1  # not the new one


PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
print(json.dumps({path: client.get(path).status_code for path in PATHS}))
"""


def _url(alias: str, **changes: str) -> str:
    options = {**connections[alias].settings_dict, **changes}
    return f"postgres://{options['USER']}@{options['HOST']}:{options['PORT']}/{options['NAME']}"


def probe(paths: list[str], **environment: str) -> tuple[dict[str, int], list[dict]]:
    """GET `paths` in a process of its own with production settings and `environment`: the
    statuses, and the request log's lines."""
    result = run(
        ["-c", f"PATHS = {paths!r}\n{PROBE}"],
        documented_production_environment()
        | {
            "DJANGO_SETTINGS_MODULE": "heritage.settings",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            **environment,
        },
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    return json.loads(result.stdout), [line for line in lines if line["message"] == "request"]


def test_with_production_settings_the_setting_alone_sends_the_public_to_the_replica(demo, replica):
    paths = ["/api/v1/reports/", "/sites/palmyra/", "/feeds/reports.atom", "/admin/login/"]
    statuses, requests = probe(
        paths, DATABASE_URL=_url("default"), DATABASE_REPLICA_URLS=_url(replica)
    )
    assert set(statuses.values()) == {200}
    answered_by = {line["path"]: line.get("database") for line in requests}
    assert answered_by == {
        "/api/v1/reports/": "replica1",
        "/sites/palmyra/": "replica1",
        "/feeds/reports.atom": "replica1",
        "/admin/login/": None,  # not a public read: the primary
    }


def test_the_public_side_answers_from_the_replica_while_the_primary_is_down(demo, replica):
    paths = ["/api/v1/reports/", "/api/v1/sites/?format=geojson", "/sites/palmyra/", "/healthz"]
    statuses, _ = probe(
        paths,
        DATABASE_URL=_url("default", PORT="1"),
        DATABASE_REPLICA_URLS=_url(replica),
        DJANGO_LOG_LEVEL="CRITICAL",
    )
    assert statuses == {
        "/api/v1/reports/": 200,
        "/api/v1/sites/?format=geojson": 200,
        "/sites/palmyra/": 200,
        "/healthz": 503,  # the primary's health: it takes no writes
    }
