import pytest
from django.core.cache import cache

from reports.demo import demo_load


@pytest.fixture
def demo(db) -> None:
    """The Palmyra demo data, as `make run` loads it."""
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
