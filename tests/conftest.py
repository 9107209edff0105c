import pytest

from reports.demo import demo_load


@pytest.fixture
def demo(db) -> None:
    """The Palmyra demo data, as `make run` loads it."""
    demo_load()
