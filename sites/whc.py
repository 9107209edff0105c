"""Reading the UNESCO World Heritage List XML export (https://whc.unesco.org/en/list/xml/) and
bringing its facts into HeritageSite rows. Field names: shared/docs/domain.md.

Each record is imported in a transaction of its own: a malformed record is reported by its id
and skipped, and every other record is still imported. Curators' own fields (slug, description,
location_is_sensitive, monuments) are never touched."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO
from xml.etree.ElementTree import Element, ParseError  # noqa: S405 - types only; parsing is defusedxml

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from django_countries import countries

from sites.models import HeritageSite

CATEGORIES = {value.lower(): value for value in HeritageSite.Category.values}
REGIONS = {label.lower(): value for value, label in HeritageSite.Region.choices}
# The fields an import owns; anything else on a site is the curators'.
# Exports larger than this are refused unread, so that a wrong or hostile file cannot exhaust
# memory; the parsed tree takes several times the file's size.
MAX_BYTES = 32 * 1024 * 1024
IMPORTED_FIELDS = [
    "name",
    "countries",
    "region",
    "category",
    "criteria",
    "year_inscribed",
    "in_danger_since",
    "latitude",
    "longitude",
    "unesco_description",
]


class MalformedRecord(ValueError):
    """A <row> that cannot be read; the message names what is wrong."""


class NotAWorldHeritageExport(ValueError):
    """The file is not the World Heritage List XML export."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # "id 23: why"
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped."
        )


def read_export(source: IO[bytes]) -> bytes:
    """The export's bytes, never more than one byte over MAX_BYTES: enough to refuse a larger
    file without holding it in memory."""
    data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise NotAWorldHeritageExport(
            f"it is larger than the limit of {MAX_BYTES // 1024 // 1024} MB"
        )
    if not data.strip():
        raise NotAWorldHeritageExport("it is empty")
    return data


def read_rows(data: bytes) -> list[Element]:
    """The <row> elements of an export, or NotAWorldHeritageExport saying why not."""
    try:
        root = ElementTree.fromstring(data)
    except ParseError as error:
        raise NotAWorldHeritageExport(f"not well-formed XML ({error})") from None
    except LookupError as error:  # an encoding Python does not know, e.g. encoding="x-foo"
        raise NotAWorldHeritageExport(f"not readable XML ({error})") from None
    except DefusedXmlException:
        raise NotAWorldHeritageExport("the XML declares entities, which are refused") from None
    except (UnicodeError, ValueError) as error:
        # An encoding the XML parser cannot read (Shift_JIS, UTF-32: "multi-byte encodings
        # are not supported"; idna, punycode), or bytes that are not in it.
        raise NotAWorldHeritageExport(
            f"its encoding cannot be read ({error}); save it as UTF-8"
        ) from None
    if root.tag != "query":
        raise NotAWorldHeritageExport(f"the root element is <{root.tag}>, not <query>")
    return root.findall("row")


def import_rows(rows: Iterable[Element], progress: bool = False) -> ImportReport:
    report = ImportReport()
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, unit="site", desc="World Heritage List")
    for row in rows:
        record_id = _text(row, "id_number") or "(no id_number)"
        try:
            with transaction.atomic():
                outcome = _import_row(row, report)
        except (MalformedRecord, ValidationError) as error:
            reason = "; ".join(_messages(error))
            report.skipped.append(f"id {record_id}: {reason}")
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _import_row(row: Element, report: ImportReport) -> str:
    """Create or update one site; returns "created", "updated" or "unchanged"."""
    values = parse_row(row, report)
    unesco_id = values.pop("unesco_id")
    site = HeritageSite.objects.filter(unesco_id=unesco_id).first()
    if site is None:
        site = HeritageSite(unesco_id=unesco_id, slug=_free_slug(values["name"], unesco_id))
        outcome = "created"
    else:
        if all(_same(getattr(site, name), values[name]) for name in IMPORTED_FIELDS):
            return "unchanged"
        outcome = "updated"
    for name, value in values.items():
        setattr(site, name, value)
    site.full_clean()
    site.save()
    return outcome


def parse_row(row: Element, report: ImportReport) -> dict:
    """The HeritageSite values of one <row>, read defensively."""
    record_id = _text(row, "id_number")
    # ASCII digits only (str.isdigit() accepts "²", which int() refuses), and few enough
    # for the database's integer.
    if not re.fullmatch(r"[0-9]{1,9}", record_id):
        raise MalformedRecord(f"id_number {record_id!r} is not a number")
    name = html.unescape(_text(row, "site"))
    if not name:
        raise MalformedRecord("it has no <site> name")
    category = CATEGORIES.get(_text(row, "category").lower())
    if category is None:
        raise MalformedRecord(f"unknown category {_text(row, 'category')!r}")
    latitude, longitude = _coordinates(row)
    return {
        "unesco_id": int(record_id),
        "name": name,
        "countries": _countries(row, record_id, report),
        "region": REGIONS.get(_text(row, "region").lower(), ""),
        "category": category,
        "criteria": _text(row, "criteria_txt").replace(" ", ""),
        "year_inscribed": _year(row, "date_inscribed"),
        "in_danger_since": _danger_since(row, record_id, report),
        "latitude": latitude,
        "longitude": longitude,
        "unesco_description": _plain_text(_text(row, "short_description")),
    }


def _text(row: Element, tag: str) -> str:
    element = row.find(tag)
    return (element.text or "").strip() if element is not None else ""


def _year(row: Element, tag: str) -> int | None:
    text = _text(row, tag)
    if not text:
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise MalformedRecord(f"<{tag}> {text!r} is not a year")
    return int(text)


def _danger_since(row: Element, record_id: str, report: ImportReport) -> int | None:
    """<danger> is empty or 0 when the site is not in danger; otherwise it may hold years
    (the last one is the current listing). Flagged without a year, the site is kept in danger
    since its existing year if it has one."""
    text = _text(row, "danger")
    if text in ("", "0"):
        return None
    years = re.findall(r"\b(1[89]\d\d|20\d\d)\b", text)
    if years:
        return int(years[-1])
    existing = (
        HeritageSite.objects.filter(unesco_id=int(record_id))
        .values_list("in_danger_since", flat=True)
        .first()
    )
    if existing is None:
        report.warnings.append(
            f"id {record_id}: in danger ({text!r}) without a year; in_danger_since left empty"
        )
    return existing


def _coordinates(row: Element) -> tuple[Decimal | None, Decimal | None]:
    """Flat <latitude>/<longitude>, or the first <geolocations><poi> of a newer export.
    No coordinates, or 0,0, mean unknown: NULL, never a point in the Gulf of Guinea."""
    latitude, longitude = _text(row, "latitude"), _text(row, "longitude")
    if not (latitude and longitude):
        poi = row.find("geolocations/poi")
        if poi is not None:
            latitude, longitude = _text(poi, "latitude"), _text(poi, "longitude")
    if not (latitude and longitude):
        return None, None
    point = _degrees("latitude", latitude, 90), _degrees("longitude", longitude, 180)
    if point == (0, 0):
        return None, None
    step = Decimal("0.000001")
    return point[0].quantize(step), point[1].quantize(step)


def _degrees(tag: str, text: str, limit: int) -> Decimal:
    """A coordinate in degrees; Infinity, NaN and 1e30 are numbers to Decimal, not places."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise MalformedRecord(f"<{tag}> {text!r} is not a number") from None
    if not value.is_finite() or not -limit <= value <= limit:
        raise MalformedRecord(f"<{tag}> {text!r} is not a {tag} (-{limit} to {limit})")
    return value


def _countries(row: Element, record_id: str, report: ImportReport) -> list[str]:
    codes = [code.strip().upper() for code in _text(row, "iso_code").split(",") if code.strip()]
    for poi_code in row.findall("geolocations/poi/iso2"):
        code = (poi_code.text or "").strip().upper()
        if code and code not in codes:
            codes.append(code)
    known = [code for code in codes if code in countries]
    for code in sorted(set(codes) - set(known)):
        report.warnings.append(f"id {record_id}: unknown country code {code!r} left out")
    return known


def _plain_text(escaped_html: str) -> str:
    """The short description's HTML (entity-escaped in the export) as plain text."""
    markup = html.unescape(escaped_html)
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", markup)  # code is not text
    text = html.unescape(strip_tags(markup))
    return re.sub(r"\s+", " ", text).strip()


def _same(current, new) -> bool:
    if hasattr(current, "__iter__") and not isinstance(current, str):  # countries: any order
        return sorted(getattr(item, "code", item) for item in current) == sorted(new)
    return current == new


def _free_slug(name: str, unesco_id: int) -> str:
    slug = slugify(name)[:90] or f"site-{unesco_id}"
    if HeritageSite.objects.filter(slug=slug).exists():
        slug = f"{slug}-{unesco_id}"
    return slug


def _messages(error: Exception) -> Iterator[str]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            yield from (f"{name}: {message}" for message in messages)
    elif isinstance(error, ValidationError):
        yield from error.messages
    else:
        yield str(error)
