"""Ingest many articles at once: a folder's files, several files, or a feed saved as a file
(reports.jobs, as the admin's Articles ingestion job, run here and listed in the admin)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from heritage.jobs.models import Job
from heritage.jobs.services import job_run_here
from reports.jobs import ARTICLES, FEED_SUFFIXES, article_paths


class Command(BaseCommand):
    help = (
        "Read many articles (a folder's .txt, .html and .htm files, files named one by one, or "
        "an RSS or Atom feed saved as a .rss, .atom or .xml file) and propose draft reports "
        "from each, as ingest_article does. An article that cannot be read is reported and "
        "the rest go on; articles already recorded are recognised."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--publisher", default="", help="of every article")
        parser.add_argument("--language", default="en")
        parser.add_argument("--user", help="username recorded as the drafts' author")

    def handle(self, *args, paths: list[Path], **options) -> None:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"{', '.join(missing)}: no such file or folder.")
        feeds = [path for path in paths if path.suffix.lower() in FEED_SUFFIXES]
        if feeds and len(paths) > 1:
            raise CommandError("Give one feed alone, or article files and folders.")
        files = feeds or article_paths(paths)
        if not files:
            raise CommandError(f"{', '.join(map(str, paths))}: no .txt, .html or .htm files.")
        job = job_run_here(
            kind=ARTICLES,
            by=user,
            description=f"{len(files)} article files" if not feeds else f"the feed {feeds[0]}",
            params={
                "source": "feed" if feeds else "files",
                "publisher": options["publisher"],
                "language": options["language"],
            },
            paths=[str(path) for path in files],
        )
        if job.state == Job.State.FAILED:
            raise CommandError(job.error)
        for refused in job.refused:
            self.stderr.write(f"refused {refused['item']}: {refused['reason']}")
        read = job.counts.get("articles stored", 0) + job.counts.get("already recorded", 0)
        if job.refused and not read:
            # nothing could be read: a script running this must see it failed
            raise CommandError(f"Every article was refused: {job.summary} (job {job.pk})")
        self.stdout.write(f"{job.summary} (job {job.pk})")
