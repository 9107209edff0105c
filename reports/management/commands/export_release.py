"""Write a citable release of everything public (reports.releases)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.releases import ReleaseError, write_release


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date {text}: give a day as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Write a dated release of everything public into a new folder of DIR: CSV, GeoJSON "
        "and JSON-LD files, a README (licence, how to cite, counts) and a SHA-256 manifest. "
        "The same data gives the same bytes. Into RELEASES_DIR (var/releases), the public "
        "pages link to it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--date",
            type=str,
            help="the release's date, YYYY-MM-DD (by default: of the latest public change)",
        )

    def handle(self, *args, **options) -> None:
        date = _day(options["date"]) if options["date"] else None
        directory: Path = options["directory"]
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file, not a folder.")
        try:
            release = write_release(directory, date=date)
        except (ReleaseError, OSError) as error:
            raise CommandError(str(error)) from None
        counts = ", ".join(f"{n} {what}" for what, n in release.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Wrote {release.path} ({counts})."))
