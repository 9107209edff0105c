"""Export the benchmark database from PostgreSQL to a SQLite file for datasette: the tables
and columns the public API reads, every row (datasette's canned queries apply the same
"published only" rule as the API), and the indexes a datasette user would add for these
queries (the same as ours).

    .venv/bin/python bench/export_sqlite.py postgres://…/heritage_bench var/bench/heritage.db
"""
# ruff: noqa: S608 - table and column names come from TABLES above, never from input

import sqlite3
import sys
import time
from pathlib import Path

import psycopg2

TABLES = {
    "sites_heritagesite": [
        "id", "name", "slug", "unesco_id", "countries", "region", "category", "criteria",
        "year_inscribed", "in_danger_since", "description", "latitude", "longitude",
        "location_is_sensitive", "updated_at",
    ],
    "sites_monument": ["id", "site_id", "name", "slug", "kind", "latitude", "longitude"],
    "reports_sourcearticle": ["id", "url", "title", "publisher", "author", "published_on"],
    "reports_damagereport": [
        "id", "site_id", "monument_id", "occurred_on", "occurred_on_precision",
        "occurred_until", "occurred_until_precision", "occurred_latest", "observed_on",
        "damage_type", "extent", "certainty", "assessment_basis", "responsible_party",
        "summary", "external_id", "status", "published_at", "updated_at", "search_text",
    ],
    "reports_citation": ["id", "report_id", "article_id", "quote", "location"],
}  # fmt: skip
INDEXES = [
    "CREATE INDEX report_status_occurred ON reports_damagereport "
    "(status, occurred_on DESC, id DESC)",
    "CREATE INDEX report_site ON reports_damagereport (site_id, status, extent)",
    "CREATE INDEX report_monument ON reports_damagereport (monument_id)",
    "CREATE INDEX citation_report ON reports_citation (report_id)",
    "CREATE INDEX monument_site ON sites_monument (site_id)",
    "CREATE INDEX site_name ON sites_heritagesite (name)",
]  # fmt: skip


def export(database_url: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    lite = sqlite3.connect(partial)
    lite.execute("PRAGMA journal_mode = OFF")
    lite.execute("PRAGMA synchronous = OFF")
    source = psycopg2.connect(database_url)
    started = time.perf_counter()
    for table, columns in TABLES.items():
        types = column_types(source, table)
        declared = ", ".join(f"{column} {types[column]}" for column in columns)
        lite.execute(f"CREATE TABLE {table} ({declared}, PRIMARY KEY (id))")
        with source.cursor(name=f"export_{table}") as cursor:  # server-side: flat memory
            cursor.itersize = 20000
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
            marks = ", ".join("?" * len(columns))
            rows = (tuple(_plain(value) for value in row) for row in cursor)
            lite.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        count = lite.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        print(f"{count:>9,} {table}")
    for statement in INDEXES:
        lite.execute(statement)
    lite.execute("ANALYZE")
    lite.commit()
    lite.close()
    source.close()
    partial.replace(target)
    print(f"Exported to {target} in {time.perf_counter() - started:.1f} s")


SQLITE_TYPES = {"integer": "INTEGER", "bigint": "INTEGER", "smallint": "INTEGER",
                "boolean": "INTEGER", "numeric": "REAL", "double precision": "REAL"}  # fmt: skip


def column_types(source, table: str) -> dict[str, str]:
    """SQLite types with the affinity of each PostgreSQL column, so that datasette's text
    parameters compare with numbers as numbers."""
    with source.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return {name: SQLITE_TYPES.get(kind, "TEXT") for name, kind in cursor.fetchall()}


def _plain(value):
    """SQLite stores text, numbers and NULL: dates and decimals go as ISO text and floats,
    as Django's SQLite backend stores them."""
    if value is None or isinstance(value, (int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return float(value)


if __name__ == "__main__":
    export(sys.argv[1], Path(sys.argv[2]))
