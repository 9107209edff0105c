"""What the in-process benchmarks share: Django set up against the benchmark database
(BENCH_DATABASE_URL, made by serve_bench.py) with production settings, debug off."""

import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/heritage_bench"
)
NOT_FILLED = "The benchmark database is not filled: run bench/serve_bench.py first."


def setup_django(**settings: str) -> None:
    """Django against the benchmark database; `settings` are more environment variables."""
    os.environ.update(
        {
            "DATABASE_URL": BENCH_DATABASE_URL,
            "DJANGO_SECRET_KEY": "in-process-bench-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_DEBUG": "0",
            "DJANGO_ENV_FILE": "",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "heritage.settings",
            **settings,
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.getLogger("heritage.requests").setLevel(logging.WARNING)
