import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from heritage.settings import env_bool, env_int, env_list

ROOT = Path(__file__).parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    # Not a developer's .env either (manage.py reads it; see test_commands_as_printed.py).
    environment["DJANGO_ENV_FILE"] = ""
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("on", True), ("Yes", True), ("0", False), ("", False)]
)
def test_it_reads_yes_and_no(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_FLAG", value)
    assert env_bool("SOME_FLAG", default=not expected) is expected


def test_it_refuses_a_flag_it_cannot_read(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", default=False)


def test_it_reads_lists_and_numbers(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " a.example.org, ,b.example.org ")
    monkeypatch.setenv("SOME_NUMBER", "60")
    assert env_list("SOME_HOSTS", []) == ["a.example.org", "b.example.org"]
    assert env_int("SOME_NUMBER", 0) == 60
    monkeypatch.setenv("SOME_NUMBER", "sixty")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 0)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Configuration error: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
        "(for local use, run with DJANGO_DEBUG=1 or use `make run`)."
    )


def test_a_bad_database_url_is_one_readable_line():
    result = manage("check", DJANGO_DEBUG="1", DATABASE_URL="mongodb://x")
    assert result.returncode != 0
    assert result.stderr.startswith("Configuration error: DATABASE_URL is not a database URL")
    assert "Traceback" not in result.stderr


PRIMARY = "postgres://postgres@127.0.0.1:5432/heritage"


def test_each_read_replica_is_a_database_alias_that_mirrors_the_primary_in_tests():
    shown = manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; print(json.dumps(["
        "s.DATABASE_REPLICAS, {a: [d['PORT'], d['OPTIONS'], d['TEST']['MIRROR'], "
        "d['CONN_MAX_AGE']] for a, d in s.DATABASES.items()}, s.DATABASE_ROUTERS]))",
        DJANGO_DEBUG="1",
        DATABASE_URL=PRIMARY,
        DATABASE_REPLICA_URLS="postgres://postgres@10.0.0.2:5432/heritage, "
        "postgres://postgres@10.0.0.3:6432/heritage",
        DJANGO_DB_CONNECT_TIMEOUT="3",
    )
    assert shown.returncode == 0, shown.stderr
    replicas, databases, routers = json.loads(shown.stdout.splitlines()[-1])
    assert replicas == ["replica1", "replica2"]
    assert databases["replica1"] == [5432, {"connect_timeout": 3}, "default", 0]
    assert databases["replica2"][0] == 6432
    assert routers == ["heritage.read_replicas.ReplicaRouter"]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DATABASE_REPLICA_URLS": "postgres://postgres@127.0.0.1:5433/heritage"},
            "DATABASE_REPLICA_URLS needs PostgreSQL: postgres:// replicas of a postgres:// "
            "DATABASE_URL (entry 1 or the primary is another database).",
        ),
        (
            {
                "DATABASE_URL": PRIMARY,
                "DATABASE_REPLICA_URLS": "postgres://a@h/db,nonsense://user:s3cret@h/db",
            },
            "DATABASE_REPLICA_URLS: entry 2 is not a database URL.",
        ),
        (
            {
                "DATABASE_URL": PRIMARY,
                "DATABASE_REPLICA_URLS": "postgres://a@h/db",
                "DATABASE_REPLICA_MAX_LAG": "60",
                "DATABASE_CURATOR_PRIMARY_SECONDS": "30",
            },
            "DATABASE_CURATOR_PRIMARY_SECONDS must be at least DATABASE_REPLICA_MAX_LAG: a "
            "curator would read a replica still missing their write.",
        ),
    ],
)
def test_a_read_replica_setting_that_cannot_work_is_one_readable_line(environment, message):
    result = manage("check", DJANGO_DEBUG="1", **environment)
    assert result.returncode != 0
    assert result.stderr.strip() == f"Configuration error: {message}"


def test_debug_mode_starts_with_the_development_key():
    result = manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_time_is_stored_in_utc(settings):
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "UTC"


def test_an_unknown_api_address_is_json_in_debug_mode_too(client, settings):
    settings.DEBUG = True
    for path in ["/api/v1/nonexistent/", "/api/v1/reports/abc/", "/evidence/1/nowhere/x/"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path


def test_the_text_log_line_of_a_request_says_what_was_asked():
    import logging

    from heritage.requestlog import TextFormatter

    record = logging.makeLogRecord(
        {"msg": "request", "method": "GET", "path": "/api/v1/", "status": 200}
    )
    assert TextFormatter().format(record) == "request method=GET path=/api/v1/ status=200"


LOG_ONCE = """
import logging
import django
django.setup()
logging.getLogger("django").warning("said-by-django")
logging.getLogger("django.utils.autoreload").info("said-by-the-reloader")
logging.getLogger("django.server").warning('"GET /api/nope/ HTTP/1.1" 404 41')
"""


def test_in_debug_mode_django_says_each_thing_once_and_the_server_not_at_all(tmp_path):
    """Found by an outside probe: with `make run`, Django's messages came twice (its own
    console handler and ours) and runserver's line for each 4xx doubled the request line."""
    from tests.commands import run_measured

    status, _, stderr, _ = run_measured(
        [sys.executable, "-c", LOG_ONCE],
        env={
            "DJANGO_SETTINGS_MODULE": "heritage.settings",
            "DJANGO_DEBUG": "1",
            "DJANGO_ENV_FILE": "",
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        },
    )
    assert status == 0, stderr
    assert stderr.count("said-by-django") == 1, stderr
    assert stderr.count("said-by-the-reloader") == 1, stderr
    assert "HTTP/1.1" not in stderr  # the request log says it, once


CONCURRENT_SAVE = """
import sys, time, django
django.setup()
from django.db import transaction
from reports.models import DamageReport
with transaction.atomic():
    report = DamageReport.objects.get(pk=int(sys.argv[1]))  # both have read...
    time.sleep(0.5)
    report.summary = sys.argv[2]
    DamageReport.objects.filter(pk=report.pk).update(summary=report.summary)  # ...then write
print("saved")
"""


def test_two_curators_saving_at_once_on_sqlite_wait_for_each_other(tmp_path):
    """Found by an outside probe: two saves at the same moment on SQLite, one was a 500
    ("database is locked": both transactions had read, neither could write)."""
    environment = {
        "DJANGO_SETTINGS_MODULE": "heritage.settings",
        "DJANGO_DEBUG": "1",
        "DJANGO_ENV_FILE": "",
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=root,
            env=environment,
            check=True,
            capture_output=True,
        )
    savers = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_SAVE, "1", f"Summary {n}"],
            cwd=root,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    results = [saver.communicate(timeout=60) for saver in savers]
    assert [saver.returncode for saver in savers] == [0, 0], [err[-300:] for _, err in results]
    assert [out.strip() for out, _ in results] == ["saved", "saved"]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DJANGO_S3_URL_SECONDS", "0", "DJANGO_S3_URL_SECONDS must be between 1 and 604800"),
        ("DJANGO_S3_URL_SECONDS", "a week", "DJANGO_S3_URL_SECONDS must be a whole number"),
        ("DJANGO_S3_ADDRESSING_STYLE", "sideways", "DJANGO_S3_ADDRESSING_STYLE must be path or"),
    ],
)
def test_a_bad_photo_storage_setting_is_one_readable_line(variable, value, message):
    result = manage("check", DJANGO_DEBUG="1", DJANGO_S3_BUCKET="photos", **{variable: value})
    assert result.returncode != 0
    assert result.stderr.startswith(f"Configuration error: {message}"), result.stderr
    assert "Traceback" not in result.stderr


def test_the_environment_alone_puts_photos_in_a_bucket(s3_server):
    """DJANGO_S3_BUCKET and its companions, as .env.example lists them, and nothing else: the
    storage writes to the bucket and signs addresses the bucket answers."""
    import urllib.request

    from tests import s3_server as s3

    client = s3_server.client()
    bucket = f"heritage-env-{secrets.token_hex(4)}"
    client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": s3.REGION}
    )
    script = (
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage as storage\n"
        "print(storage.save('evidence/probe.jpg', ContentFile(b'probe')))\n"
        "print(storage.signed_url('evidence/probe.jpg', content_type='image/jpeg',"
        " cache_control='no-store'))\n"
    )
    result = manage(
        "shell",
        "--no-startup",
        "--no-imports",
        "-c",
        script,
        DJANGO_DEBUG="1",
        DJANGO_S3_BUCKET=bucket,
        DJANGO_S3_ENDPOINT_URL=s3_server.endpoint,
        DJANGO_S3_REGION=s3.REGION,
        DJANGO_S3_ADDRESSING_STYLE="path",
        DJANGO_S3_URL_SECONDS="90",
        AWS_ACCESS_KEY_ID=s3.ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=s3.SECRET_KEY,
    )
    assert result.returncode == 0, result.stderr
    name, url = result.stdout.split()
    assert name == "evidence/probe.jpg"
    listing = client.list_objects_v2(Bucket=bucket)
    assert [item["Key"] for item in listing["Contents"]] == ["evidence/probe.jpg"]
    assert url.startswith(f"{s3_server.endpoint}/{bucket}/evidence/probe.jpg?")
    assert "X-Amz-Expires=90&" in url
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - 127.0.0.1
        assert response.read() == b"probe"
