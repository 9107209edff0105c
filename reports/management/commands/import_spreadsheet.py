"""Import a spreadsheet too large for the admin, with the admin's resources and rules.

The file is streamed in batches (memory stays bounded whatever the rows) inside one
transaction: a bad file or a bad row stops with one line and writes nothing
(heritage.spreadsheet_import, which the admin's spreadsheet jobs use too)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from heritage.spreadsheet_import import BATCH_ROWS, RowsRefused, spreadsheet_import
from heritage.spreadsheets import SpreadsheetRefused, command_limits
from reports.resources import DamageReportResource
from sites.resources import HeritageSiteResource, MonumentResource

RESOURCES = {
    resource.command_name: resource
    for resource in (HeritageSiteResource, MonumentResource, DamageReportResource)
}


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
                totals = spreadsheet_import(
                    resource=resource,
                    file=file,
                    file_format=file_format,
                    limits=command_limits(),
                    user=user,
                    dry_run=options["dry_run"],
                    batch_size=options["batch_size"],
                )
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}.") from None
        except RowsRefused as error:
            raise CommandError(str(error)) from None
        except SpreadsheetRefused as error:
            raise CommandError(f"{path.name}: {error} Nothing was imported.") from None
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{totals['new']} new, {totals['update']} updated and {totals['skip']} unchanged "
            f"{options['kind']} {verb} imported."
        )
