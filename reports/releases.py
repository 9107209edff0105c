"""Citable releases of everything public (`manage.py export_release DIR`): the reports as CSV,
GeoJSON and JSON-LD, the sites and monuments as GeoJSON, a README saying what it is, its
licence and how to cite it, and a SHA-256 manifest. The same data gives the same bytes: the
release is named and dated by its latest public change, its links use settings.PUBLIC_BASE_URL,
and nothing in it records when it was written. Rows are read in batches and written as they
come, so memory stays flat however many reports there are.

The public pages list the releases found in settings.RELEASES_DIR (release_list) and serve
their files (release_file)."""

from __future__ import annotations

import csv
import datetime
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import HttpRequest

from heritage.api.renderers import GeoJSONRenderer, spreadsheet_safe
from heritage.read_replicas import reading_public_data
from reports import linked_data
from reports.models import (
    DamageReport,
    PublicChange,
    monuments_with_condition,
    sites_with_report_counts,
)
from reports.representations import (
    REPORT_CSV_COLUMNS,
    monument_with_condition,
    report_csv_row,
    report_place,
    report_representation,
    site_with_counts,
)
from sites.models import HeritageSite, Monument

if TYPE_CHECKING:
    from reports.representations import MonumentWithCondition

BATCH = 2000
MANIFEST = "SHA256SUMS"
RELEASE_NAME = re.compile(r"^heritage-damage-\d{4}-\d{2}-\d{2}$")
FILES = {
    "reports.csv": "Every published report, one a line, as the API's `format=csv`.",
    "reports.geojson": "Every published report as an RFC 7946 Feature at its (public, "
    "coarsened where sensitive) place, its fields as properties.",
    "sites.geojson": "Every site, with its counts of published reports by extent.",
    "monuments.geojson": "Every monument, with its current condition.",
    "heritage-damage.jsonld": "Sites, monuments and reports as one JSON-LD graph (CIDOC CRM "
    "with Linked Art's names, Getty AAT types), its context included.",
    "README.md": "This file.",
}


class Progress(Protocol):
    """Told how many records a release writes, and each one written (a job's JobRun)."""

    def set_total(self, total: int | None) -> None: ...

    def advance(self, steps: int = 1) -> None: ...


def _nothing() -> None:
    pass


class ReleaseError(Exception):
    """A release that cannot be written; the message says why, in a line."""


class ReleaseRequest(HttpRequest):
    """What the representations ask of a request, for links in a release: the public address
    (settings.PUBLIC_BASE_URL), whoever runs the command."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.method = "GET"

    def build_absolute_uri(self, location: str | None = None) -> str:
        return self.base_url + (location or "/")


@dataclass
class Release:
    name: str
    date: datetime.date
    counts: dict[str, int]
    path: Path


def release_date() -> datetime.date:
    """The day of the latest public change (a publication, change or retraction): the same
    data gives the same date. Today when nothing was ever published."""
    latest = PublicChange.objects.filter(sequence__isnull=False).aggregate(at=Max("at"))["at"]
    return latest.astimezone(datetime.UTC).date() if latest else datetime.date.today()


def write_release(
    directory: Path, *, date: datetime.date | None = None, progress: Progress | None = None
) -> Release:
    """Write the release into a new folder of `directory`, all or nothing: into a temporary
    folder beside it, renamed once complete. ReleaseError if one of that name exists.
    `progress` is told of each record written (each is written twice: in its own file and in
    the JSON-LD graph)."""
    directory.mkdir(parents=True, exist_ok=True)
    # From a read replica when there are any (heritage.read_replicas), one for the whole
    # release. One snapshot of the data for every file: on PostgreSQL, a repeatable-read
    # transaction (unless the caller's transaction is already under way; SQLite's is a snapshot
    # anyway).
    with reading_public_data() as database, _snapshot(database):
        date = date or release_date()
        name = f"heritage-damage-{date.isoformat()}"
        target = directory / name
        if target.exists():
            raise ReleaseError(f"{target} exists already: remove it, or give another --date.")
        tick = _nothing
        if progress is not None:
            records = _reports().count() + HeritageSite.objects.count() + Monument.objects.count()
            progress.set_total(2 * records)
            tick = progress.advance
        work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=directory))
        try:
            counts = _write_files(work, name, date, tick)
            work.chmod(0o755)  # mkdtemp makes it private to its owner
            os.replace(work, target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    return Release(name, date, counts, target)


@contextmanager
def _snapshot(database: str) -> Iterator[None]:
    connection = transaction.get_connection(database)
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=database):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _write_files(
    work: Path, name: str, date: datetime.date, tick: Callable[[], None]
) -> dict[str, int]:
    request = ReleaseRequest(settings.PUBLIC_BASE_URL)
    counts = {
        "reports": _write_reports(work, request, tick),
        "sites": _write_places(work / "sites.geojson", request, _sites(), site_with_counts, tick),
        "monuments": _write_places(
            work / "monuments.geojson", request, _monuments(), monument_with_condition, tick
        ),
    }
    _write_linked_data(work / "heritage-damage.jsonld", request, tick)
    (work / "README.md").write_text(readme(name, date, counts), encoding="utf-8")
    _write_manifest(work)
    return counts


def _reports() -> Any:
    """Every published report as the API reads it, by id (iterate in batches of BATCH)."""
    return DamageReport.objects.for_api().order_by("id")


def _sites() -> Iterator[HeritageSite]:
    sites = sites_with_report_counts(
        HeritageSite.objects.with_monument_count().prefetch_related("other_names")
    )
    return sites.order_by("id").iterator(chunk_size=BATCH)


def _monuments() -> Iterator[Monument]:
    monuments = monuments_with_condition(
        Monument.objects.select_related("site").prefetch_related(Prefetch("alternative_names"))
    )
    return monuments.order_by("id").iterator(chunk_size=BATCH)


def _dump(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_DATETIME)


def _write_reports(work: Path, request: ReleaseRequest, tick: Callable[[], None]) -> int:
    """reports.csv and reports.geojson, in one pass over the reports."""
    count = 0
    with (
        open(work / "reports.csv", "w", encoding="utf-8", newline="") as table,
        open(work / "reports.geojson", "wb") as features,
    ):
        writer = csv.writer(table)
        writer.writerow(REPORT_CSV_COLUMNS)
        with _collection(features) as add:
            for report in _reports().iterator(chunk_size=BATCH):
                writer.writerow([spreadsheet_safe(v) for v in report_csv_row(request, report)])
                shown = dict(report_representation(request, report))
                feature = GeoJSONRenderer.feature({**shown, **report_place(report)})
                feature["id"] = str(report.id)
                add(_dump(feature))
                count += 1
                tick()
    return count


class _collection:
    """A GeoJSON FeatureCollection written feature by feature."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out, self.first = out, True

    def __enter__(self) -> Callable[[bytes], None]:
        self.out.write(b'{"type":"FeatureCollection","features":[\n')
        return self.add

    def add(self, feature: bytes) -> None:
        self.out.write(feature if self.first else b",\n" + feature)
        self.first = False

    def __exit__(self, *exc: Any) -> None:
        self.out.write(b"\n]}\n")


def _write_places(
    path: Path,
    request: ReleaseRequest,
    places: Iterable[Any],
    represent: Callable,
    tick: Callable[[], None],
) -> int:
    count = 0
    with open(path, "wb") as out, _collection(out) as add:
        for place in places:
            add(_dump(GeoJSONRenderer.feature(represent(request, place))))
            count += 1
            tick()
    return count


def _write_linked_data(path: Path, request: ReleaseRequest, tick: Callable[[], None]) -> None:
    """One JSON-LD document, its context inline (a release needs no server to expand)."""
    context = linked_data.context(request)["@context"]
    nodes: list[Iterator[bytes]] = [
        (
            _dump(linked_data.site_document(request, site_with_counts(request, s)))
            for s in _sites()
        ),
        (
            _dump(linked_data.monument_document(request, monument_with_condition(request, m)))
            for m in cast(Iterator["MonumentWithCondition"], _monuments())
        ),
        (
            _dump(linked_data.report_document(request, report_representation(request, r)))
            for r in _reports().iterator(chunk_size=BATCH)
        ),
    ]
    with open(path, "wb") as out:
        out.write(b'{"@context":' + _dump(context) + b',"@graph":[\n')
        first = True
        for group in nodes:
            for node in group:
                out.write(node if first else b",\n" + node)
                first = False
                tick()
        out.write(b"\n]}\n")


def readme(name: str, date: datetime.date, counts: dict[str, int]) -> str:
    publisher = settings.RELEASE_PUBLISHER
    licence, licence_url = settings.RELEASE_LICENCE, settings.RELEASE_LICENCE_URL
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    files = "\n".join(f"- `{file}`: {what}" for file, what in FILES.items())
    files += f"\n- `{MANIFEST}`: the SHA-256 of every other file (`sha256sum -c {MANIFEST}`)."
    return f"""# {publisher}: data release {date.isoformat()}

Everything public in {publisher} ({base}/) on {date:%d %B %Y}: {counts["reports"]} published
damage reports, each with the quoted passages of the sources that back or dispute it, on
{counts["monuments"]} monuments in {counts["sites"]} heritage sites. Drafts, reports in review,
curators' notes and the full texts of articles are never part of a release; retracted reports
are left out (the change feed, {base}/api/v1/changes/, lists their retraction), and sensitive
locations are coarsened as on the site.

## Licence

{licence} ({licence_url}). Quoted passages remain their publishers' and are given as short
quotations, with their source.

## How to cite

{publisher} ({date.year}). *Heritage damage reports, release {date.isoformat()}* [data set].
{base}/releases/#{name}

## Files

{files}

Links inside the files point to the live API ({base}/api/v1/). Dates: `occurred_edtf` is the
event date in the Library of Congress Extended Date/Time Format; `occurred_earliest` and
`occurred_latest` bound it. `source_count` counts independent sources (distinct publishers, a
reprint counting as its original); `disputed` is true when a cited source contradicts the
report.
"""


def _write_manifest(work: Path) -> None:
    lines = []
    for path in sorted(work.iterdir()):
        digest = hashlib.sha256()
        with open(path, "rb") as data:
            for block in iter(lambda: data.read(1 << 20), b""):
                digest.update(block)
        lines.append(f"{digest.hexdigest()}  {path.name}\n")
    (work / MANIFEST).write_text("".join(lines), encoding="utf-8")


def published_releases() -> list[dict[str, Any]]:
    """The complete releases in settings.RELEASES_DIR, newest first: their name and files
    (name, size, SHA-256) as their manifests list them."""
    directory = Path(settings.RELEASES_DIR)
    if not directory.is_dir():
        return []
    releases = []
    for folder in sorted(directory.iterdir(), reverse=True):
        manifest = folder / MANIFEST
        if not (RELEASE_NAME.match(folder.name) and manifest.is_file()):
            continue
        files = []
        for line in manifest.read_text(encoding="utf-8").splitlines():
            digest, _, file = line.partition("  ")
            if (folder / file).is_file():
                files.append(
                    {"name": file, "sha256": digest, "size": (folder / file).stat().st_size}
                )
        files.append({"name": MANIFEST, "sha256": "", "size": manifest.stat().st_size})
        releases.append({"name": folder.name, "date": folder.name[-10:], "files": files})
    return releases


def release_path(name: str, file: str) -> Path | None:
    """The file `file` of release `name`, if the release is complete and lists it (no other
    path of the server can be asked for)."""
    for release in published_releases():
        if release["name"] == name and any(f["name"] == file for f in release["files"]):
            return Path(settings.RELEASES_DIR) / name / file
    return None
