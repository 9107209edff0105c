"""Precision and recall of article ingestion on the labelled cases in
tests/reports/ingest_cases/, against the demo data in a throwaway SQLite database.

    .venv/bin/python bench/ingest_quality.py
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    database = Path(tempfile.mkdtemp(prefix="ingest-quality-")) / "db.sqlite3"
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
    from reports.ingest.quality import evaluate, precision_recall

    call_command("migrate", verbosity=0)
    demo_load()
    results = evaluate(ROOT / "tests" / "reports" / "ingest_cases")
    print(f"{'case':32} {'expected':>8} {'found':>6} {'right':>6}")
    for result in results:
        print(
            f"{result.name:32} {len(result.expected):8} {len(result.found):6} "
            f"{result.true_positives:6}"
        )
        for pair in sorted(result.found - result.expected):
            print(f"    extra:   {pair[0]} {pair[1]}")
        for pair in sorted(result.expected - result.found):
            print(f"    missed:  {pair[0]} {pair[1]}")
    precision, recall = precision_recall(results)
    print(f"precision {precision:.2f}  recall {recall:.2f}  (targets: 0.80 each)")


if __name__ == "__main__":
    main()
