"""Case-insensitive substring search (`icontains`, as the admin and the API search) that
PostgreSQL answers from trigram indexes instead of scanning tables. SQLite gets the same
results by scanning, which is fine at the sizes it is used for."""

from django.db import migrations


def trigram_indexes(
    *columns: tuple[str, str], case_folded: bool = False
) -> list[migrations.RunPython]:
    """Operations creating (and on reversal dropping) one index per (table, column).

    Django writes `icontains` as `UPPER(column::text) LIKE UPPER(pattern)`, so the indexes
    are on exactly that expression; a column stored `case_folded` is searched with a plain
    `contains` and indexed as it is. pg_trgm is a trusted extension: the database owner may
    create it."""

    def name(table: str, column: str) -> str:
        return f"{table}_{column}_trgm"[:63]

    def expression(column: str) -> str:
        return f'"{column}"' if case_folded else f'UPPER("{column}"::text)'

    def create(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, column in columns:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name(table, column)}" ON "{table}" '
                f"USING gin ({expression(column)} gin_trgm_ops)"
            )

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, column in columns:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name(table, column)}"')

    return [migrations.RunPython(create, drop, elidable=False)]
