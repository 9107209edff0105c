"""Jobs of the reports app: ingesting many articles at once (uploaded files, a folder, or the
entries of an RSS or Atom feed), and writing a release.

Articles go one by one through `reports.ingest.ingest_article`, each in its own transaction:
one that cannot be read is refused with its reason and the rest go on; a retry recognises the
articles already recorded (same URL or text) and proposes nothing twice."""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.html import strip_tags

from heritage.jobs.forms import MultipleFileField, StartForm
from heritage.jobs.kinds import JobKind, has_permissions, register
from heritage.jobs.services import JobFailed, JobRun
from reports.ingest import IngestError, ingest_article
from reports.ingest.reading import MAX_BYTES
from reports.models import DamageReport, SourceArticle
from reports.releases import ReleaseError, write_release

ARTICLES = "articles_ingest"
RELEASE = "release_export"
# A feed file: larger than any article, bounded all the same; each entry is one article.
FEED_MAX_BYTES = 20 * 1024 * 1024
FEED_MAX_ENTRIES = 1000
# Django refuses a request with more than DATA_UPLOAD_MAX_NUMBER_FILES (100) files.
MAX_FILES = 100
ARTICLE_SUFFIXES = {".txt", ".html", ".htm"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}


# --- Reading feeds --------------------------------------------------------------------------


@dataclass
class FeedEntry:
    name: str
    text: str
    url: str
    published_on: datetime.date | None


def read_feed(data: bytes) -> tuple[str, list[FeedEntry]]:
    """The feed's title and its entries as articles (title on the first line); ValueError
    saying why for a file that is not an RSS or Atom feed."""
    if len(data) > FEED_MAX_BYTES:
        raise ValueError(f"the feed is larger than {FEED_MAX_BYTES // 1024 // 1024} MB")
    # feedparser resolves no external entities and fetches nothing when given bytes.
    parsed = feedparser.parse(data)
    if not parsed.get("version"):
        raise ValueError("it is not an RSS or Atom feed")
    if len(parsed.entries) > FEED_MAX_ENTRIES:
        raise ValueError(
            f"it has {len(parsed.entries):,} entries; at most {FEED_MAX_ENTRIES:,} are read"
        )
    entries = []
    for number, entry in enumerate(parsed.entries, 1):
        title = _plain(entry.get("title", ""))
        body = entry["content"][0].get("value", "") if entry.get("content") else ""
        text = _plain(body or entry.get("summary", ""))
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(
            FeedEntry(
                name=f"entry {number}" + (f" “{title[:80]}”" if title else ""),
                text=f"{title}\n{text}" if title else text,
                url=entry.get("link", ""),
                published_on=datetime.date(*when[:3]) if when else None,
            )
        )
    return _plain(parsed.feed.get("title", "")), entries


def _plain(markup: str) -> str:
    """An entry's HTML as text: paragraphs and line breaks kept as lines."""
    markup = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</h\d\s*>", "\n", markup)
    text = html.unescape(strip_tags(markup))
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --- Ingesting many articles ----------------------------------------------------------------


class ArticlesForm(StartForm):
    submit_label = "Ingest the articles"

    articles = MultipleFileField(
        required=False,
        help_text=f"Articles (plain text, title on the first line, or saved web pages), at "
        f"most {MAX_FILES} files of {MAX_BYTES // 1024 // 1024} MB each.",
    )
    feed = forms.FileField(
        required=False,
        help_text="Or an RSS or Atom feed saved as a file: each entry is an article (its "
        f"title, link, date and text), at most {FEED_MAX_ENTRIES:,} entries.",
    )
    publisher = forms.CharField(
        required=False,
        max_length=SourceArticle._meta.get_field("publisher").max_length,
        help_text="Of every article (for a feed: by default its title).",
    )
    language = forms.CharField(
        initial="en",
        max_length=SourceArticle._meta.get_field("language").max_length,
        help_text="Their language code, such as en or fr.",
        validators=SourceArticle._meta.get_field("language").validators,
    )

    def clean_articles(self) -> list[UploadedFile]:
        uploads = self.cleaned_data["articles"]
        if len(uploads) > MAX_FILES:
            raise ValidationError(f"At most {MAX_FILES} files at once.")
        large = [upload.name for upload in uploads if upload.size > MAX_BYTES]
        if large:
            raise ValidationError(
                f"Larger than {MAX_BYTES // 1024 // 1024} MB: {', '.join(map(str, large))}."
            )
        return uploads

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.has_error("articles") or self.has_error("feed"):
            return cleaned
        files, feed = cleaned.get("articles"), cleaned.get("feed")
        if bool(files) == bool(feed):
            raise ValidationError("Upload article files or a feed (one of the two).")
        if feed:
            try:
                self.feed_title, self.entries = read_feed(feed.read(FEED_MAX_BYTES + 1))
            except ValueError as error:
                self.add_error("feed", f"This feed cannot be read: {error}.")
            finally:
                feed.seek(0)
        return cleaned

    def job_description(self) -> str:
        if self.cleaned_data.get("feed"):
            title = self.feed_title or self.cleaned_data["feed"].name
            return f"{len(self.entries):,} entries of the feed “{title}”"
        files = self.cleaned_data["articles"]
        return f"{len(files)} article file{'s' if len(files) > 1 else ''}"

    def job_params(self) -> dict[str, Any]:
        return {
            "source": "feed" if self.cleaned_data.get("feed") else "files",
            "publisher": self.cleaned_data["publisher"],
            "language": self.cleaned_data["language"],
        }

    def job_uploads(self) -> list[UploadedFile]:
        return (
            [self.cleaned_data["feed"]]
            if self.cleaned_data.get("feed")
            else [*self.cleaned_data["articles"]]
        )

    def job_items(self) -> int:
        return len(self.entries) if self.cleaned_data.get("feed") else len(self.job_uploads())


def _run_articles(run: JobRun) -> None:
    publisher, language = run.params.get("publisher", ""), run.params.get("language") or "en"
    if run.params.get("source") == "feed":
        (source,) = run.inputs()
        with source.open() as file:
            data = file.read(FEED_MAX_BYTES + 1)
        try:
            feed_title, entries = read_feed(data)
        except ValueError as error:
            raise JobFailed(f"{source.filename} cannot be read: {error}.") from None
        run.set_total(len(entries))
        for entry in entries:
            _ingest(
                run,
                entry.name,
                entry.text,
                url=entry.url,
                published_on=entry.published_on,
                publisher=publisher or feed_title[:255],
                language=language,
            )
    else:
        inputs = run.inputs()
        run.set_total(len(inputs))
        for source in inputs:
            with source.open() as file:
                data = file.read(MAX_BYTES + 1)
            _ingest(run, source.filename, data, publisher=publisher, language=language)
    stored, drafts = run.counts.get("articles stored", 0), run.counts.get("drafts proposed", 0)
    run.summary = (
        f"{stored:,} article{'s' if stored != 1 else ''} stored, "
        f"{run.counts.get('already recorded', 0):,} already recorded, {drafts:,} draft "
        f"report{'s' if drafts != 1 else ''} proposed, {run.refused_count:,} refused."
    )


def _ingest(run: JobRun, name: str, data: bytes | str, **details: Any) -> None:
    try:
        result = ingest_article(data=data, by=run.by, **details)
    except IngestError as error:
        run.refuse(name, str(error))
    else:
        run.add("articles stored" if result.article_created else "already recorded")
        run.add("drafts proposed", len(result.proposals))
        run.add("proposed before", result.already_proposed)
    run.advance()


def article_paths(paths: list[Path]) -> list[Path]:
    """The article files named, a folder's standing for its .txt, .html and .htm files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES))
        else:
            found.append(path)
    return found


# --- Releases -------------------------------------------------------------------------------


class ReleaseForm(StartForm):
    submit_label = "Write the release"

    date = forms.DateField(
        required=False,
        help_text="The release's date, YYYY-MM-DD (by default: of the latest public change).",
    )

    def job_description(self) -> str:
        date = self.cleaned_data.get("date")
        return f"release of {date.isoformat()}" if date else "release of the latest data"

    def job_params(self) -> dict[str, Any]:
        date = self.cleaned_data.get("date")
        return {"date": date.isoformat() if date else None}

    def job_items(self) -> int:
        return DamageReport.objects.public().count()


def _run_release(run: JobRun) -> None:
    date = run.params.get("date")
    try:
        release = write_release(
            Path(settings.RELEASES_DIR),
            date=datetime.date.fromisoformat(date) if date else None,
            progress=run,
        )
    except (ReleaseError, OSError) as error:
        raise JobFailed(str(error)) from None
    for what, number in release.counts.items():
        run.add(what, number)
    run.output = str(release.path)
    run.summary = (
        f"Wrote the release {release.name} ("
        + ", ".join(f"{number:,} {what}" for what, number in release.counts.items())
        + "): the public pages list it under /releases/."
    )


register(
    JobKind(
        name=ARTICLES,
        label="Articles ingestion",
        run=_run_articles,
        allowed=has_permissions("reports.add_sourcearticle", "reports.add_damagereport"),
        form=ArticlesForm,
        # An article takes up to a second or so to read and match: a request does at most 20.
        inline_limit=20,
        help="Store each article once and propose draft reports from it, as the Ingest "
        "article page does, for many articles at once.",
    )
)
register(
    JobKind(
        name=RELEASE,
        label="Release export",
        run=_run_release,
        # A release is public: those who publish reports write it.
        allowed=has_permissions("reports.review_damagereport"),
        form=ReleaseForm,
        # 140,000 reports took 40 s (bench/RESULTS.md): a request writes at most 20,000.
        inline_limit=20_000,
        help="Write a citable release of everything public into RELEASES_DIR (as "
        "`manage.py export_release`).",
    )
)
