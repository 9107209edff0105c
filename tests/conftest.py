import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connections

from reports.demo import demo_load

# The job worker's fixtures (job_broker, job_worker, queued).
pytest_plugins = ["tests.jobs_worker"]


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks) -> None:
    """The Palmyra demo data, as `make run` loads it: committed, so that what follows a
    commit (the public data version, the change feed's numbers) has happened."""
    with django_capture_on_commit_callbacks(execute=True):
        demo_load()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttling counts requests in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def get_json(client, url: str, **params):
    """GET an API address and return (status, parsed JSON body)."""
    response = client.get(url, params)
    return response.status_code, response.json()


CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parents[1] / "var" / "screenshots"


@pytest.fixture
def browser(monkeypatch):
    """Headless Chromium (Debian's package), driven by Playwright. Skipped with a reason
    where Chromium is not installed, except in CI, which installs it and must run it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: install Debian's chromium package.")
        pytest.skip("Browser test skipped: no /usr/bin/chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test's
    # fixtures around it are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
        # ORM calls made while Playwright's event loop runs use connections of their own
        # (Django's are context-local): close them, or the test database cannot be dropped.
        connections.close_all()


@pytest.fixture
def browser_page(browser):
    """A fresh page (its own cookies) in headless Chromium."""
    return browser.new_page(viewport={"width": 1280, "height": 900})


def make_curator(django_user_model, username: str, role: str):
    """A staff account in one of the curators' groups."""
    from django.contrib.auth.models import Group

    from reports.roles import roles_setup

    roles_setup()
    user = django_user_model.objects.create_user(
        username, password=f"{username}-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return make_curator(django_user_model, "edith", "editor")


@pytest.fixture
def reviewer(db, django_user_model):
    return make_curator(django_user_model, "rhea", "reviewer")


@pytest.fixture
def temp_dir(tmp_path, monkeypatch) -> Path:
    """Python's temporary folder for this test, to show that nothing is left in it."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores files in a folder of its own, so it can tell what it left behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on 127.0.0.1 (tests/s3_server.py), one for the session. Skipped with a
    reason where it cannot start, except in CI, which must run these tests."""
    from tests import s3_server as s3

    try:
        server = s3.start()
    except s3.S3ServerUnavailable as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the S3 storage tests: {error}")
        pytest.skip(f"S3 storage test skipped: {error}")
    yield server
    server.stop()


@dataclass
class Bucket:
    """A bucket of the S3 server, as the tests look into it (with boto3, past our code)."""

    name: str
    client: Any

    def keys(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch) -> Bucket:
    """A new, empty bucket holding this test's photos: STORAGES as DJANGO_S3_BUCKET and its
    companions set it (heritage.settings.s3_storage), credentials from the environment."""
    from heritage.settings import s3_storage
    from tests import s3_server as s3

    for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3.ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3.SECRET_KEY)
    name = f"photos-{secrets.token_hex(8)}"
    client = s3_server.client()
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": s3.REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            name, endpoint_url=s3_server.endpoint, region=s3.REGION, addressing_style="path"
        ),
    }
    return Bucket(name, client)
