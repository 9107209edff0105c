import datetime
import re

from django.core.management.base import BaseCommand, CommandError

from heritage.commands import input_file
from reports.ingest import IngestError, ingest_article
from reports.ingest.reading import MAX_BYTES


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise CommandError(f"--date {text!r}: there is no such day.") from None
        raise CommandError(f"--date {text!r}: write it as YYYY-MM-DD.") from None


def read_bounded(path: str) -> bytes:
    """The file's bytes, or standard input's for "-": never more than one byte over the limit,
    which is enough for the pipeline to refuse a larger file without holding it in memory."""
    with input_file(path, "an article") as file:
        return file.read(MAX_BYTES + 1)


class Command(BaseCommand):
    help = (
        "Read a news article (plain text with its title on the first line, or a saved HTML "
        "page), store it once, and propose draft damage reports quoting its sentences."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The article's file, or - for standard input.")
        parser.add_argument("--url", default="", help="Where the article was published.")
        parser.add_argument("--title", default="", help="Instead of the first line's.")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--date", default="", help="Publication date, YYYY-MM-DD.")
        parser.add_argument("--language", default="en")

    def handle(self, *args, path: str, **options) -> None:
        published_on = iso_date(options["date"]) if options["date"] else None
        data = read_bounded(path)
        try:
            result = ingest_article(
                data=data,
                url=options["url"],
                title=options["title"],
                publisher=options["publisher"],
                published_on=published_on,
                language=options["language"],
            )
        except IngestError as error:
            raise CommandError(str(error)) from None
        article = result.article
        if result.article_created:  # (an article recorded before is said in the messages)
            self.stdout.write(f"Stored: “{article.title}” (article {article.pk}).")
        for message in result.messages:
            self.stdout.write(message)
        for report in result.proposals:
            place = report.monument.key if report.monument else report.site.slug
            self.stdout.write(
                f"Proposed draft {report.pk}: {place}, {report.damage_type}, "
                f"{report.occurred_display} (confidence {report.proposal_confidence:.2f})"
            )
        self.stdout.write(
            f"{len(result.proposals)} draft(s) proposed, {result.already_proposed} already "
            "proposed before."
        )
