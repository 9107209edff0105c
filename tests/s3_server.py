"""A real S3-compatible server for the tests: moto's, in server mode (an HTTP server speaking
S3's protocol), run as a subprocess on 127.0.0.1 on a free port. Our code talks to it with
boto3 through django-storages, as it talks to Amazon S3, MinIO or R2 in production."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import boto3

# moto accepts any credentials; the application reads them from the environment, as boto3
# does in production.
ACCESS_KEY = "heritage-tests"
SECRET_KEY = "heritage-tests-secret"  # noqa: S105 - moto's, for the tests only
REGION = "eu-west-1"


class S3ServerUnavailable(Exception):
    pass


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen

    def client(self) -> Any:
        """A boto3 client of the server, for the tests to look into the buckets directly."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310 - ours
            return True
    except urllib.error.HTTPError:
        return True  # it answers
    except OSError:
        return False


def start(attempts: int = 3, timeout: float = 30) -> S3Server:
    """Start moto's server and wait until it answers; raise S3ServerUnavailable saying why not.
    A port taken between choosing it and binding it is tried again with another."""
    reasons = []
    for _ in range(attempts):
        port = free_port()
        endpoint = f"http://127.0.0.1:{port}"
        # Its log goes to a file (a pipe nobody reads would fill), read if it fails to start.
        log = tempfile.TemporaryFile("w+")
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "MOTO_PORT": str(port)},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            if answers(endpoint):
                log.close()  # the server keeps writing to its own handle of the file
                return S3Server(endpoint, process)
            time.sleep(0.1)
        if process.poll() is None:
            process.kill()
        process.wait()
        log.seek(0)
        lines = log.read().strip().splitlines()
        log.close()
        reasons.append(lines[-1] if lines else f"no answer on {endpoint} in {timeout:.0f} s")
    raise S3ServerUnavailable(f"moto's S3 server did not start: {reasons[-1]}")
