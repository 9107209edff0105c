"""Settings for the test suite: the project's settings, plus what only tests want."""

import os
import tempfile
from pathlib import Path

# Tests run with debug off, as production does; they need a key, never a real one.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-any-deployment")
os.environ.setdefault("DJANGO_DEBUG", "0")

from heritage.settings import *  # noqa: E402, F403

# Fast password hashing: tests create users, they do not need to resist brute force.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Uploaded files of the tests go to a throwaway folder (the job worker's: the tests').
MEDIA_ROOT = Path(
    os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="heritage-test-media-")
)
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The suite and its fuzzer make many requests; the throttling test lowers this itself.
API_THROTTLE_RATE = "100000/minute"
# Tests talk plain HTTP to the test client and the live server (production redirects to HTTPS
# and marks cookies secure; tests/heritage/test_production.py checks those settings).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Most tests run inside a transaction that never commits, so the public data version never
# grows there and kept answers would go stale: answers are not kept, except in
# tests/heritage/test_answer_cache.py, which commits.
CACHES = {**CACHES, "api": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
# Jobs run in the test's own process (inline) unless a test queues them: the worker tests
# (tests/heritage/test_jobs_worker.py) start a real Celery worker on this Redis database, which
# opens the test database itself, so on SQLite that is a file, not Django's in-memory one.
JOBS_QUEUED = False
CELERY_BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/11")
# A queue of this test session's own: another session's worker on the same Redis (a second
# checkout's tests, a worker left over) never takes its jobs, nor this worker theirs.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_CELERY_QUEUE", f"jobs-tests-{os.getpid()}")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"heritage-test-{os.getpid()}.sqlite3")
    }

# The read replica tests (tests/heritage/test_read_replicas.py), on PostgreSQL: the hot standby
# .ci/start-replica runs on 127.0.0.1:5433 (or the first of DATABASE_REPLICA_URLS), a second
# alias of it (to show requests taking replicas in turn), and a replica that is down (nothing
# listens on port 1). The rest of the suite reads the primary only: DATABASE_REPLICAS names
# none; those tests name theirs.
TEST_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URLS", "").split(",")[0].strip()
if "postgresql" in DATABASES["default"]["ENGINE"]:  # noqa: F405
    _standby = TEST_REPLICA_URL or "postgres://postgres@127.0.0.1:5433/postgres"
    DATABASES["replica1"] = replica_database(_standby, 1)  # noqa: F405
    DATABASES["replica2"] = replica_database(_standby, 2)  # noqa: F405
    DATABASES["replica_down"] = replica_database("postgres://postgres@127.0.0.1:1/down", 3)  # noqa: F405
DATABASE_REPLICAS = []
