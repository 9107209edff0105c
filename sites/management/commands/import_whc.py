import sys

from django.core.management.base import BaseCommand, CommandError

from heritage.commands import input_file
from sites.whc import NotAWorldHeritageExport, import_rows, read_export, read_rows


class Command(BaseCommand):
    help = (
        "Create or update heritage sites from the UNESCO World Heritage List XML export "
        "(https://whc.unesco.org/en/list/xml/), matched on their UNESCO id. Idempotent; each "
        "record in its own transaction; curators' own fields are never overwritten."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The XML export, or - for standard input.")

    def handle(self, *args, file: str, **options) -> None:
        try:
            with input_file(file, "an XML file") as source:
                data = read_export(source)
            rows = read_rows(data)
        except NotAWorldHeritageExport as error:
            raise CommandError(f"{file}: not a World Heritage List export: {error}.") from None
        report = import_rows(rows, progress=sys.stderr.isatty())
        for line in report.warnings:
            self.stderr.write(f"warning: {line}")
        for line in report.skipped:
            self.stderr.write(f"skipped {line}")
        self.stdout.write(report.summary())
