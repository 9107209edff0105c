"""Production settings and serving: the deploy check, /healthz, a database outage, gunicorn."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOWN_DATABASE = "postgres://postgres@127.0.0.1:1/nothing-listens-here"


def documented_production_environment() -> dict[str, str]:
    """The variables .env.example documents, with a real secret key, and nothing else."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    for line in (ROOT / ".env.example").read_text().splitlines():
        name, _, value = line.partition("=")
        if line.strip() and not line.startswith("#") and value:
            environment[name] = value
    return environment


def run(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_documented_production_settings_pass_the_deploy_check():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        documented_production_environment(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert response["Cache-Control"] == "no-store"


OUTAGE_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
answers = {}
for path in ("/healthz", *PATHS):
    response = client.get(path)
    body = b"".join(response) if response.streaming else response.content
    answers[path] = [response.status_code, response["Content-Type"], body.decode(),
                     response.get("Retry-After")]
print(json.dumps(answers))
"""
# Every kind of answer: JSON, GeoJSON, a CSV stream and a CSV row, a photo's file.
OUTAGE_PATHS = [
    "/api/v1/reports/",
    "/api/v1/sites/palmyra/",
    "/api/v1/sites/?format=geojson",
    "/api/v1/reports/?format=csv",
    "/api/v1/reports/1/?format=csv",
    "/evidence/1/web/",
]


def test_a_database_outage_is_a_json_503_not_a_500():
    environment = documented_production_environment() | {
        "DATABASE_URL": DOWN_DATABASE,
        "DJANGO_SETTINGS_MODULE": "heritage.settings",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }
    result = run(["-c", f"PATHS = {OUTAGE_PATHS!r}\n{OUTAGE_PROBE}"], environment)
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    status, content_type, body, retry_after = answers["/healthz"]
    assert (status, json.loads(body)["status"], retry_after) == (503, "unavailable", "30")
    for path in OUTAGE_PATHS:
        status, content_type, body, retry_after = answers[path]
        assert (status, content_type, retry_after) == (503, "application/json", "30"), path
        assert json.loads(body) == {
            "detail": "The database is unavailable; try again in a minute."
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def wait_until_up(base: str) -> None:
    """Until the server at `base` answers /healthz (at most 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            if get(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.2)


def test_gunicorn_serves_the_api_and_static_files_with_production_settings(tmp_path):
    port = free_port()
    environment = documented_production_environment() | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    for command in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
        result = run(["manage.py", *command], environment)
        assert result.returncode == 0, result.stderr
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "heritage.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        status, body, headers = get(f"{base}/api/v1/reports/")
        assert status == 200 and len(json.loads(body)["results"]) == 9
        # HSTS goes out over HTTPS only; these go out always.
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        status, body, headers = get(f"{base}/static/admin/css/base.css")
        assert status == 200 and b"body" in body
        assert get(f"{base}/api/v1/nowhere/")[0] == 404
    finally:
        server.terminate()
        _, logs = server.communicate(timeout=30)
    request_lines = [
        json.loads(line) for line in logs.splitlines() if '"logger": "heritage.requests"' in line
    ]
    assert {"method": "GET", "path": "/api/v1/reports/", "status": 200}.items() <= next(
        line for line in request_lines if line["path"] == "/api/v1/reports/"
    ).items()


def test_the_deploy_check_passes_with_photos_in_a_bucket():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        documented_production_environment()
        | {
            "DJANGO_S3_BUCKET": "heritage-photos",
            "DJANGO_S3_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(30),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
