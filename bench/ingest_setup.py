"""What the ingestion benchmarks share: Django on a throwaway SQLite database with the demo data,
so that they measure the pipeline as `make run` ships it and touch no database of yours."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "reports" / "ingest_corpus"


def throwaway_database(prefix: str) -> None:
    """Set Django up on a new SQLite file, migrated, with the demo data loaded."""
    sys.path.insert(0, str(ROOT))
    database = Path(tempfile.mkdtemp(prefix=prefix)) / "db.sqlite3"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="heritage.settings",
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from reports.demo import demo_load

    call_command("migrate", verbosity=0)
    demo_load()
