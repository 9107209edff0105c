"""Importing a whole spreadsheet at once, beyond the admin's preview: streamed in batches
(memory stays bounded whatever the rows) inside one transaction, all rows or none.

Used by `manage.py import_spreadsheet` (which stops at the first bad row) and by the
spreadsheet job (which goes through every row, lists each refused one with why, and then
writes nothing), which the admin's import page hands files beyond its limits to when a worker
is configured. Rows are matched on their natural keys, so a second run updates or skips."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import IO, Any, cast

import tablib
from django.db import transaction
from django.utils.module_loading import import_string

from heritage.jobs.kinds import JobKind, register
from heritage.jobs.services import JobFailed, JobRun
from heritage.spreadsheets import (
    Limits,
    SpreadsheetRefused,
    SpreadsheetResource,
    command_limits,
    iter_spreadsheet,
)

BATCH_ROWS = 500


class RowsRefused(SpreadsheetRefused):
    """Rows with errors; nothing was imported. `str()` is the first one, in a line."""

    def __init__(self, first: str, rows: list[tuple[int, str]]) -> None:
        super().__init__(first)
        self.rows = rows


class _Rollback(Exception):
    """Leaves the transaction of a dry run."""


def spreadsheet_import(
    *,
    resource: Any,
    file: IO[bytes],
    file_format: str,
    limits: Limits,
    user: Any = None,
    dry_run: bool = False,
    batch_size: int = BATCH_ROWS,
    every_row: bool = False,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Import the file in one transaction; the totals of new, updated and unchanged records.
    SpreadsheetRefused for a file that cannot be read, RowsRefused for bad rows: at the first
    batch with one, or, with `every_row`, after reading them all. `progress(rows)` is called
    after each batch."""
    rows = iter_spreadsheet(file, file_format, limits)
    headers = next(rows)
    resource.check_columns(headers)
    totals = {"new": 0, "update": 0, "skip": 0}
    refused: list[tuple[int, str]] = []
    first = ""
    done = 0
    try:
        with transaction.atomic():
            while batch := list(itertools.islice(rows, max(batch_size, 1))):
                result = resource.import_data(
                    tablib.Dataset(*batch, headers=headers),
                    dry_run=False,
                    use_transactions=True,
                    user=user,
                )
                if result.has_errors() or result.has_validation_errors():
                    first = first or first_error(result, offset=done)
                    refused.extend(row_problems(result, offset=done))
                    if not every_row:
                        raise RowsRefused(first, refused)
                for key in totals:
                    totals[key] += result.totals[key]
                done += len(batch)
                if progress:
                    progress(len(batch))
            if refused:
                raise RowsRefused(first, refused)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return totals


def row_problems(result: Any, offset: int) -> Iterator[tuple[int, str]]:
    """Each bad row of a batch's result: (its number in the file's rows, what is wrong)."""
    for error in result.base_errors:
        yield offset, str(error.error)
    for number, errors in result.row_errors():
        yield offset + number, " ".join(str(error.error) for error in errors)
    for row in result.invalid_rows:
        yield offset + row.number, _problems(row)


def _problems(row: Any) -> str:
    return "; ".join(
        f"{'' if field == '__all__' else field + ': '}{' '.join(messages)}"
        for field, messages in row.error_dict.items()
    )


def first_error(result: Any, offset: int) -> str:
    """One line: the first bad row and what is wrong with it."""
    bad = len(result.invalid_rows) + len(result.row_errors())
    if result.base_errors:
        message = f"{result.base_errors[0].error}"
    elif result.row_errors():
        number, errors = result.row_errors()[0]
        message = f"Row {offset + number}: {errors[0].error}"
    else:
        row = result.invalid_rows[0]
        message = f"Row {offset + row.number}: {_problems(row)}"
    more = f" ({bad} rows with errors in this batch)" if bad > 1 else ""
    return " ".join(f"{message.rstrip('.')}{more}. Nothing was imported.".split())


# --- The job --------------------------------------------------------------------------------

KIND = "spreadsheet_import"


def resource_class(path: str) -> type[SpreadsheetResource]:
    """One of our spreadsheet resources, by its dotted path (a job's params name it)."""
    found = import_string(path)
    if not (isinstance(found, type) and issubclass(found, SpreadsheetResource)):
        raise ValueError(f"{path} is not a spreadsheet resource.")
    return found


def _allowed(user: Any, params: dict[str, Any]) -> bool:
    """Importing needs the model's "add" permission, as in the admin."""
    opts = cast(Any, resource_class(params["resource"]))._meta.model._meta
    return bool(user.is_active and user.has_perm(f"{opts.app_label}.add_{opts.model_name}"))


def _run(run: JobRun) -> None:
    resource = resource_class(run.params["resource"])
    noun = resource.command_name or "records"
    (source,) = run.inputs()
    run.set_total(run.params.get("rows"))
    try:
        with source.open() as file, run.long_transaction():
            totals = spreadsheet_import(
                resource=resource(),
                file=file,
                file_format=run.params["format"],
                limits=command_limits(),
                user=run.by,
                every_row=True,
                progress=run.advance,
            )
    except RowsRefused as refused:
        for number, reason in refused.rows:
            run.refuse(f"Row {number}", reason)
        rows = len(refused.rows)
        raise JobFailed(
            f"Nothing was imported: {rows:,} row{'s' if rows > 1 else ''} refused (listed "
            "below). Correct them and import the file again."
        ) from None
    except SpreadsheetRefused as error:
        raise JobFailed(f"{error} Nothing was imported.") from None
    run.add("created", totals["new"])
    run.add("updated", totals["update"])
    run.add("unchanged", totals["skip"])
    run.summary = (
        f"{totals['new']:,} new, {totals['update']:,} updated and {totals['skip']:,} "
        f"unchanged {noun} imported from {source.filename}."
    )


register(
    JobKind(
        name=KIND,
        label="Spreadsheet import",
        run=_run,
        allowed=_allowed,
        help="Started by a sites', monuments' or reports' Import page with a file beyond "
        "the admin's limits.",
    )
)
