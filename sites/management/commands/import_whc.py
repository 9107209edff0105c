import sys

from django.core.management.base import BaseCommand, CommandError

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
            if file == "-":
                data = read_export(sys.stdin.buffer)
            else:
                with open(file, "rb") as source:
                    data = read_export(source)
            rows = read_rows(data)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except IsADirectoryError:
            raise CommandError(f"{file}: is a folder, not an XML file.") from None
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror or error}).") from None
        except NotAWorldHeritageExport as error:
            raise CommandError(f"{file}: not a World Heritage List export: {error}.") from None
        report = import_rows(rows, progress=sys.stderr.isatty())
        for line in report.warnings:
            self.stderr.write(f"warning: {line}")
        for line in report.skipped:
            self.stderr.write(f"skipped {line}")
        self.stdout.write(report.summary())
