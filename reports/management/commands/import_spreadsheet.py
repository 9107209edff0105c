"""Import a spreadsheet too large for the admin, with the admin's resources and rules.

The file is streamed in batches (memory stays bounded whatever the rows) inside one
transaction: a bad file or a bad row stops with one line and writes nothing."""

import itertools
from pathlib import Path

import tablib
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from heritage.spreadsheets import SpreadsheetRefused, command_limits, iter_spreadsheet
from reports.resources import DamageReportResource
from sites.resources import HeritageSiteResource, MonumentResource

RESOURCES = {
    resource.command_name: resource
    for resource in (HeritageSiteResource, MonumentResource, DamageReportResource)
}
BATCH_ROWS = 500


class Rollback(Exception):
    """Leaves the transaction of a dry run."""


class Command(BaseCommand):
    help = "Import sites, monuments or damage reports from a CSV (UTF-8) or XLSX file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=["csv", "xlsx"], help="by default, the file's extension"
        )
        parser.add_argument("--user", help="username recorded as the rows' author")
        parser.add_argument(
            "--dry-run", action="store_true", help="check every row, then write nothing"
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_ROWS, help="rows imported at a time"
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        file_format = options["format"] or path.suffix.lower().lstrip(".")
        if file_format not in ("csv", "xlsx"):
            raise CommandError(f"{path.name}: say --format csv or --format xlsx.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        resource = RESOURCES[options["kind"]]()
        try:
            with path.open("rb") as file:
                totals = self.import_file(
                    resource, file, file_format, user, options["dry_run"], options["batch_size"]
                )
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}.") from None
        except SpreadsheetRefused as error:
            raise CommandError(f"{path.name}: {error} Nothing was imported.") from None
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{totals['new']} new, {totals['update']} updated and {totals['skip']} unchanged "
            f"{options['kind']} {verb} imported."
        )

    def import_file(
        self, resource, file, file_format: str, user, dry_run: bool, batch_size: int
    ) -> dict:
        """Import in batches inside one transaction; raise at the first bad row."""
        rows = iter_spreadsheet(file, file_format, command_limits())
        headers = next(rows)
        resource.check_columns(headers)
        totals = {"new": 0, "update": 0, "skip": 0}
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
                        raise CommandError(first_error(result, offset=done))
                    for key in totals:
                        totals[key] += result.totals[key]
                    done += len(batch)
                if dry_run:
                    raise Rollback
        except Rollback:
            pass
        return totals


def first_error(result, offset: int) -> str:
    """One line: the first bad row and what is wrong with it."""
    bad = len(result.invalid_rows) + len(result.row_errors())
    if result.base_errors:
        message = f"{result.base_errors[0].error}"
    elif result.row_errors():
        number, errors = result.row_errors()[0]
        message = f"Row {offset + number}: {errors[0].error}"
    else:
        row = result.invalid_rows[0]
        problems = "; ".join(
            f"{'' if field == '__all__' else field + ': '}{' '.join(messages)}"
            for field, messages in row.error_dict.items()
        )
        message = f"Row {offset + row.number}: {problems}"
    more = f" ({bad} rows with errors in this batch)" if bad > 1 else ""
    return " ".join(f"{message.rstrip('.')}{more}. Nothing was imported.".split())
