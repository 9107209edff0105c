"""A real Celery worker for the job tests: `celery -A heritage worker` in a process of its own,
on a Redis database of its own, reading and writing the test database (a file on SQLite, the
test database on PostgreSQL). Tests using it are transactional: the worker sees only what
was committed."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings

from heritage.jobs.models import Job

ROOT = Path(__file__).parents[1]
# Bounds of the waits: how long a worker may take to start, a job to finish.
START_TIMEOUT = 60
JOB_TIMEOUT = 120


def database_url(db: dict) -> str:
    """The URL of the (test) database Django's settings now point at."""
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


@pytest.fixture(scope="session")
def job_broker() -> str:
    """The test Redis database for the job queue, this session's queue emptied; skipped without
    Redis (failed in CI, which must run these tests)."""
    url = settings.CELERY_BROKER_URL
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.delete(settings.CELERY_TASK_DEFAULT_QUEUE)  # this session's queue only
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the job worker tests, but Redis does not answer: {error}")
        pytest.skip(f"Job worker tests skipped: no Redis at {url} ({error}); start redis-server.")
    return url


@pytest.fixture(scope="session")
def job_worker(
    django_db_setup, job_broker: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict]:
    """A worker process (one pool process) for the whole session; stopped before the test
    database is dropped. Gives its process, log and media folder."""
    folder = tmp_path_factory.mktemp("job-worker")
    media, log_path = folder / "media", folder / "worker.log"
    media.mkdir()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(settings.DATABASES["default"]),
        "TEST_CELERY_BROKER_URL": job_broker,
        "TEST_CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "TEST_MEDIA_ROOT": str(media),
        "RELEASES_DIR": str(folder / "releases"),
    }
    log = open(log_path, "wb")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "heritage", "worker"),
            *("--loglevel", "INFO", "--concurrency", "1", "--pool", "prefork"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            *("--hostname", f"tests-{os.getpid()}@%h"),
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while b"ready." not in log_path.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.1)
    yield {"process": process, "log": log_path, "media": media, "root": folder}
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def queued(job_worker, settings, transactional_db) -> dict:
    """Jobs queued for the worker, files in the storage it reads."""
    settings.JOBS_QUEUED = True
    settings.MEDIA_ROOT = job_worker["media"]
    return job_worker


def wait_for(job: Job, until, timeout: float = JOB_TIMEOUT, log: Path | None = None) -> Job:
    """Poll the job's row until `until(job)` holds; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if until(job):
            return job
        if time.monotonic() > deadline:
            tail = log.read_text()[-3000:] if log else ""
            pytest.fail(f"Job {job.pk} still {job.state} ({job.done}/{job.total}):\n{tail}")
        time.sleep(0.05)


def finished(job: Job) -> bool:
    return job.state in (Job.State.SUCCEEDED, Job.State.FAILED)
