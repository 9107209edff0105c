"""State shared through Redis (REDIS_URL): two gunicorn workers throttle one client at the rate
in total and serve each other's kept answers; a publication is seen at once by all; a Redis
that stops answering is survived and rejoined. Against the real Redis on 127.0.0.1:6379 (and
a private redis-server for the outage), as in production."""

import logging
import os
import pickle
import shutil
import socket
import subprocess
import sys
import time

import pytest
import redis

from heritage import cache as resilient
from tests.heritage.test_production import (
    ROOT,
    documented_production_environment,
    free_port,
    get,
    run,
    wait_until_up,
)

REDIS = "redis://127.0.0.1:6379"
TEST_DB = 13  # never the database a developer's own Redis data is in (0)


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def shared_redis():
    """The machine's Redis, database TEST_DB emptied before and after. Skips where no Redis
    runs (a developer's machine), never in CI, which has one."""
    url = f"{REDIS}/{TEST_DB}"
    if not redis_answers(url):
        if os.environ.get("CI"):
            pytest.fail("CI must have Redis on 127.0.0.1:6379")
        pytest.skip("No Redis on 127.0.0.1:6379 (apt-get install redis-server)")
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url, client
    client.flushdb()


class Gunicorn:
    """Our API under gunicorn with production settings, `workers` processes of one thread."""

    def __init__(self, tmp_path, environment: dict[str, str], workers: int = 2) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.environment = documented_production_environment() | {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            **environment,
        }
        for command in (["migrate", "--noinput"], ["load_demo"]):
            result = run(["manage.py", *command], self.environment)
            assert result.returncode == 0, result.stderr
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "heritage.wsgi"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--threads", "1"],
            cwd=ROOT,
            env=self.environment,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_until_up(self.base)

    def stop(self) -> str:
        self.process.terminate()
        _, logs = self.process.communicate(timeout=30)
        return logs

    def manage(self, *args: str) -> str:
        result = run(["manage.py", *args], self.environment)
        assert result.returncode == 0, result.stderr
        return result.stdout


def test_two_workers_throttle_one_client_at_the_rate_in_total(tmp_path, shared_redis):
    url, _ = shared_redis
    server = Gunicorn(tmp_path, {"REDIS_URL": url, "API_THROTTLE_RATE": "12/minute"})
    try:
        # A new connection each time, so both workers take requests; distinct URLs, so that
        # no kept answer is involved (throttling comes first anyway).
        statuses = [get(f"{server.base}/api/v1/reports/?page_size={n}")[0] for n in range(1, 21)]
    finally:
        server.stop()
    assert statuses == [200] * 12 + [429] * 8  # per worker it would have been up to 24


def test_an_answer_kept_by_one_worker_is_served_by_all_and_a_publication_is_seen_at_once(
    tmp_path, shared_redis
):
    url, client = shared_redis
    server = Gunicorn(tmp_path, {"REDIS_URL": url, "API_THROTTLE_RATE": "1000/minute"})
    try:
        address = f"{server.base}/api/v1/reports/"
        status, body, _ = get(address)
        assert status == 200 and b'"results"' in body
        (key,) = client.keys("api:*")
        # Swap the kept bytes for a marker: every worker that answers from Redis says it.
        content, headers = pickle.loads(client.get(key))  # noqa: S301 - our own cache entry
        client.set(key, pickle.dumps((b'{"kept": "in redis"}', headers)), keepttl=True)
        assert 0 < client.ttl(key) <= 3600  # answers filed under an old version expire
        answers = {get(address)[1] for _ in range(10)}
        assert answers == {b'{"kept": "in redis"}'}
        # Retracting a report moves the public data version: the kept answer is superseded
        # for every worker at once.
        server.manage(
            "shell",
            "-c",
            "from reports.models import DamageReport as R; from reports.services import "
            "report_transition as t; from reports.vocabularies import Status as S; "
            "t(report=R.objects.public().order_by('pk').first(), to=S.RETRACTED, by=None, "
            "reason='Probe.')",
        )
        after = {get(address)[1] for _ in range(6)}
    finally:
        server.stop()
    assert len(after) == 1 and b"kept" not in next(iter(after))
    assert next(iter(after)).count(b'"summary"') == 8  # 9 demo reports, one retracted


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own, which it may stop and start again."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have redis-server (apt-get install redis-server)")
        pytest.skip("No redis-server binary (apt-get install redis-server)")
    port = free_port()

    def start() -> subprocess.Popen:
        process = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not redis_answers(f"redis://127.0.0.1:{port}/0"):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        return process

    handle = {"process": start()}

    def stop() -> None:
        handle["process"].terminate()
        handle["process"].wait(timeout=10)
        with socket.socket() as probe:  # nothing listens there any more
            assert probe.connect_ex(("127.0.0.1", port)) != 0

    def restart() -> None:
        handle["process"] = start()

    yield f"redis://127.0.0.1:{port}/0", stop, restart
    handle["process"].terminate()
    handle["process"].wait(timeout=10)


def test_a_redis_that_stops_answering_is_survived_and_rejoined(private_redis, monkeypatch, caplog):
    url, stop, restart = private_redis
    monkeypatch.setattr(resilient, "RETRY_AFTER_SECONDS", 0.0)  # retry at once, no sleeping
    cache = resilient.ResilientRedisCache(
        url, {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}}
    )
    cache.set("answer", "shared")
    assert cache.get("answer") == "shared"
    stop()
    with caplog.at_level(logging.WARNING, logger="heritage.cache"):
        assert cache.get("answer") is None  # not in this process's memory: computed again
        cache.set("answer", "local")
        assert cache.get("answer") == "local"  # kept in this process's memory meanwhile
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "Redis does not answer" in warnings[0]  # once an outage
    restart()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="heritage.cache"):
        cache.set("answer", "shared again")
    assert redis.Redis.from_url(url).exists(cache.make_and_validate_key("answer"))
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_the_api_answers_with_redis_down_and_logs_why(tmp_path):
    """REDIS_URL pointing where nothing listens: every answer computed, none refused."""
    server = Gunicorn(tmp_path, {"REDIS_URL": "redis://127.0.0.1:1/0"}, workers=1)
    try:
        statuses = [get(f"{server.base}/api/v1/reports/")[0] for _ in range(3)]
    finally:
        logs = server.stop()
    assert statuses == [200, 200, 200]
    assert "Redis does not answer" in logs
    assert logs.count("Redis does not answer") == 1  # once, not once a request
