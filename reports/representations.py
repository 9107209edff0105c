"""The public shape of damage reports, their citations, photos and sources, and of what the
reports add to sites and monuments (counts by extent, current condition, timeline): one typed
function each, called by the API's JSON, GeoJSON and CSV alike. The serializers in
reports/serializers.py only describe these shapes for the OpenAPI document; tests hold the
two together for every demo record.

Everything here is shown to the public: the querysets behind it start from `.public()`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, cast

import orjson
from django.urls import reverse

from heritage.api.dates import iso_date, iso_datetime, request_time_zone
from heritage.api.links import AnyRequest, api_link
from reports.models import ApiReportRow, Citation, DamageReport, PublicChange, SourceArticle
from reports.vocabularies import (
    EAMENA_DAMAGE_SEVERITY,
    EAMENA_DISTURBANCE_CAUSE,
    UNOSAT_DAMAGE_CLASS,
    Extent,
    Stance,
)
from sites.models import HeritageSite, Monument, public_point
from sites.representations import (
    CoordinatesDict,
    MonumentDict,
    MonumentLinkDict,
    SiteDict,
    SiteLinkDict,
    coordinates,
    monument_link,
    monument_link_of,
    monument_representation,
    site_link,
    site_link_of,
    site_representation,
)

if TYPE_CHECKING:  # the stubs' helper, for the aliases below (strings, so never run)
    from django_stubs_ext import WithAnnotations  # noqa: F401


class WithCondition(TypedDict):
    """What monuments_with_condition() annotates."""

    condition: str | None
    condition_since: datetime.date | None
    condition_report_id: int | None


class WithTimeline(WithCondition):
    """A monument's detail: its published reports, prefetched oldest event first."""

    public_reports: list[DamageReport]


class WithCitingReports(TypedDict):
    """A source's detail: the citations of published reports, prefetched."""

    public_citations: list[Citation]


# A monument from monuments_with_condition().
MonumentWithCondition: TypeAlias = "WithAnnotations[Monument, WithCondition]"
MonumentWithTimeline: TypeAlias = "WithAnnotations[Monument, WithTimeline]"
CitedSource: TypeAlias = "WithAnnotations[SourceArticle, WithCitingReports]"


class OriginalStoryDict(TypedDict):
    title: str
    publisher: str
    source_url: str


class ArticleLinkDict(TypedDict):
    url: str
    id: int
    title: str
    publisher: str
    author: str
    published_on: str | None
    source_url: str
    archive_url: str
    archived_at: str | None
    republished_from: OriginalStoryDict | None


class CitationDict(TypedDict):
    article: ArticleLinkDict
    quote: str
    location: str
    stance: str


class PhotoDict(TypedDict):
    image: str
    thumbnail: str
    caption: str
    credit: str
    licence: str
    taken_on: str | None
    width: int
    height: int


class ReportSummaryDict(TypedDict):
    url: str
    id: int
    occurred: str
    occurred_edtf: str
    occurred_on: str | None
    occurred_on_precision: str
    occurred_until: str | None
    occurred_until_precision: str
    damage_type: str
    extent: str
    certainty: str
    summary: str


class ReportDict(TypedDict):
    url: str
    id: int
    site: SiteLinkDict
    monument: MonumentLinkDict | None
    occurred: str
    occurred_edtf: str
    occurred_on: str | None
    occurred_on_precision: str
    occurred_on_approximate: bool
    occurred_until: str | None
    occurred_until_precision: str
    occurred_until_approximate: bool
    occurred_earliest: str | None
    occurred_latest: str | None
    observed_on: str | None
    damage_type: str
    eamena_disturbance_cause: str
    extent: str
    eamena_damage_severity: str
    unosat_damage_class: str | None
    certainty: str
    assessment_basis: str
    responsible_party: str
    summary: str
    external_id: str
    published_at: str | None
    updated_at: str | None
    citation_count: int
    source_count: int
    single_source: bool
    disputed: bool
    citations: list[CitationDict]
    evidence: list[PhotoDict]


class ReportKeyDict(TypedDict):
    url: str
    id: int


class ChangeDict(TypedDict):
    url: str
    id: int
    report: ReportKeyDict
    action: str
    at: str | None


class CitingReportDict(TypedDict):
    report: ReportSummaryDict
    site: SiteLinkDict
    monument: MonumentLinkDict | None
    quote: str
    location: str
    stance: str


class SourceDict(ArticleLinkDict):
    language: str
    cited_by: list[CitingReportDict]


class SiteWithCountsDict(SiteDict):
    published_reports: dict[str, int]


class MonumentCompactDict(MonumentLinkDict):
    condition: str | None
    condition_since: str | None


class SiteDetailDict(SiteWithCountsDict):
    monuments: list[MonumentCompactDict]


class MonumentWithConditionDict(MonumentDict):
    condition: str | None
    condition_since: str | None
    condition_report: str | None


class MonumentDetailDict(MonumentWithConditionDict):
    timeline: list[ReportSummaryDict]


def article_link(
    request: AnyRequest,
    *,
    id: int,  # noqa: A002 (the field's name)
    title: str,
    publisher: str,
    author: str,
    published_on: Any,
    url: str,
    archive_url: str,
    archived_at: Any,
    original: OriginalStoryDict | None,
) -> ArticleLinkDict:
    """An article as a citation refers to it (from its columns: a report's citations are
    read as rows): where it was published, where an archive keeps a copy, and the story it
    reprints, if the curators marked it as a reprint."""
    return {
        "url": api_link(request, "api:source-detail", id),
        "id": id,
        "title": title,
        "publisher": publisher,
        "author": author,
        "published_on": iso_date(published_on),
        "source_url": url,
        "archive_url": archive_url,
        "archived_at": iso_datetime(_as_datetime(archived_at), request_time_zone(request)),
        "republished_from": original,
    }


def _as_datetime(value: Any) -> datetime.datetime | None:
    """A moment from a column or from the JSON rows of for_api (text: ISO 8601 from
    PostgreSQL, "YYYY-MM-DD hh:mm:ss" in UTC from SQLite)."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    moment = datetime.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def original_story(article: SourceArticle) -> OriginalStoryDict | None:
    """The story `article` reprints (republished_from, selected with it), or None."""
    original = article.republished_from
    if original is None:
        return None
    return {"title": original.title, "publisher": original.publisher, "source_url": original.url}


def photo_representation(request: AnyRequest, row: list[Any]) -> PhotoDict:
    """A photo from its JSON row (reports.models.PHOTO_ROW, in for_api's `photo_rows`)."""
    pk, caption, credit, licence, taken_on, width, height = row

    def link(variant: str) -> str:
        return request.build_absolute_uri(reverse("evidence-file", args=[pk, variant]))

    return {
        "image": link("web"),
        "thumbnail": link("thumbnail"),
        "caption": caption,
        "credit": credit,
        "licence": licence,
        "taken_on": taken_on,
        "width": width,
        "height": height,
    }


def report_summary(request: AnyRequest, report: DamageReport) -> ReportSummaryDict:
    """A report in a timeline or among an article's citing reports."""
    return {
        "url": api_link(request, "api:report-detail", report.pk),
        "id": report.pk,
        "occurred": report.occurred_display,
        "occurred_edtf": report.occurred_edtf,
        "occurred_on": iso_date(report.occurred_on),
        "occurred_on_precision": report.occurred_on_precision,
        "occurred_until": iso_date(report.occurred_until),
        "occurred_until_precision": report.occurred_until_precision,
        "damage_type": report.damage_type,
        "extent": report.extent,
        "certainty": report.certainty,
        "summary": report.summary,
    }


def report_representation(request: AnyRequest, report: ApiReportRow) -> ReportDict:
    """A report from DamageReport.objects.for_api(), its citations and photos included (one
    query for a whole page)."""
    zone = request_time_zone(request)
    citations = [_citation(request, row) for row in _rows(report.citation_rows)]
    monument = (
        None
        if report.monument_slug is None
        else monument_link(
            request,
            site_slug=report.site_slug,
            slug=report.monument_slug,
            # Set whenever the report has a monument (the join's columns are null together).
            name=cast(str, report.monument_name),
            kind=cast(str, report.monument_kind),
        )
    )
    return {
        "url": api_link(request, "api:report-detail", report.id),
        "id": report.id,
        "site": site_link(
            request,
            slug=report.site_slug,
            name=report.site_name,
            unesco_id=report.site_unesco_id,
        ),
        "monument": monument,
        "occurred": report.occurred_display,
        "occurred_edtf": report.event_date.edtf,
        "occurred_on": iso_date(report.occurred_on),
        "occurred_on_precision": report.occurred_on_precision,
        "occurred_on_approximate": report.occurred_on_approximate,
        "occurred_until": iso_date(report.occurred_until),
        "occurred_until_precision": report.occurred_until_precision,
        "occurred_until_approximate": report.occurred_until_approximate,
        "occurred_earliest": iso_date(report.occurred_earliest),
        "occurred_latest": iso_date(report.occurred_latest),
        "observed_on": iso_date(report.observed_on),
        "damage_type": report.damage_type,
        "eamena_disturbance_cause": EAMENA_DISTURBANCE_CAUSE[report.damage_type],
        "extent": report.extent,
        "eamena_damage_severity": EAMENA_DAMAGE_SEVERITY[report.extent],
        "unosat_damage_class": UNOSAT_DAMAGE_CLASS.get(report.extent),
        "certainty": report.certainty,
        "assessment_basis": report.assessment_basis,
        "responsible_party": report.responsible_party,
        "summary": report.summary,
        "external_id": report.external_id,
        "published_at": iso_datetime(report.published_at, zone),
        "updated_at": iso_datetime(report.updated_at, zone),
        # corroboration()'s rule, on the rows: every citation, and any disputing one.
        "citation_count": len(citations),
        "source_count": report.source_count,
        "single_source": report.source_count == 1,
        "disputed": any(citation["stance"] == Stance.DISPUTES for citation in citations),
        "citations": citations,
        "evidence": [photo_representation(request, row) for row in _rows(report.photo_rows)],
    }


def _rows(json_text: str | None) -> list[list[Any]]:
    """The JSON rows for_api gives a report's citations or photos in (null for none)."""
    return orjson.loads(json_text) if json_text else []


def _citation(request: AnyRequest, row: list[Any]) -> CitationDict:
    """A citation from its JSON row (reports.models.CITATION_ROW)."""
    article_id, title, publisher, author, published_on, url, archive_url, archived_at = row[:8]
    original_title, original_publisher, original_url, quote, location, stance = row[8:]
    original: OriginalStoryDict | None = None
    if original_title is not None:
        original = {
            "title": original_title,
            "publisher": original_publisher,
            "source_url": original_url,
        }
    article = article_link(
        request,
        id=article_id,
        title=title,
        publisher=publisher,
        author=author,
        published_on=published_on,
        url=url,
        archive_url=archive_url,
        archived_at=archived_at,
        original=original,
    )
    return {"article": article, "quote": quote, "location": location, "stance": stance}


def change_representation(request: AnyRequest, change: PublicChange) -> ChangeDict:
    """One entry of the change feed: which report, what happened to it, when. A retracted
    report's address answers 410."""
    return {
        "url": api_link(request, "api:change-detail", change.pk),
        "id": change.pk,
        "report": {
            "url": api_link(request, "api:report-detail", change.report_id),
            "id": change.report_id,
        },
        "action": change.action,
        "at": iso_datetime(change.at, request_time_zone(request)),
    }


def citing_report(request: AnyRequest, citation: Citation) -> CitingReportDict:
    """A published report citing an article, with the passage it quotes."""
    report = citation.report
    return {
        "report": report_summary(request, report),
        "site": site_link_of(request, report.site),
        "monument": monument_link_of(request, report.monument) if report.monument else None,
        "quote": citation.quote,
        "location": citation.location,
        "stance": citation.stance,
    }


def source_representation(request: AnyRequest, article: CitedSource) -> SourceDict:
    """An article cited by published reports, with `public_citations` prefetched. Its full
    text is never shown."""
    link = article_link(
        request,
        id=article.pk,
        title=article.title,
        publisher=article.publisher,
        author=article.author,
        published_on=article.published_on,
        url=article.url,
        archive_url=article.archive_url,
        archived_at=article.archived_at,
        original=original_story(article),
    )
    return {
        **link,
        "language": article.language,
        "cited_by": [citing_report(request, citation) for citation in article.public_citations],
    }


def site_with_counts(request: AnyRequest, site: HeritageSite) -> SiteWithCountsDict:
    """A site from sites_with_report_counts()."""
    counts = {extent: getattr(site, f"published_{extent}") for extent in Extent.values}
    return {**site_representation(request, site), "published_reports": counts}


def site_detail(request: AnyRequest, site: HeritageSite) -> SiteDetailDict:
    """A site with its monuments (monuments_with_condition(), prefetched) and their condition."""
    # Prefetched from monuments_with_condition(), which the stubs cannot see through.
    monuments = [
        monument_compact(request, cast("MonumentWithCondition", monument))
        for monument in site.monuments.all()
    ]
    return {**site_with_counts(request, site), "monuments": monuments}


def monument_compact(request: AnyRequest, monument: MonumentWithCondition) -> MonumentCompactDict:
    """A monument among its site's, from monuments_with_condition()."""
    return {
        **monument_link_of(request, monument),
        "condition": monument.condition,
        "condition_since": iso_date(monument.condition_since),
    }


def monument_with_condition(
    request: AnyRequest, monument: MonumentWithCondition
) -> MonumentWithConditionDict:
    """A monument from monuments_with_condition()."""
    report_id = monument.condition_report_id
    return {
        **monument_representation(request, monument),
        "condition": monument.condition,
        "condition_since": iso_date(monument.condition_since),
        "condition_report": None
        if report_id is None
        else api_link(request, "api:report-detail", report_id),
    }


def monument_detail(request: AnyRequest, monument: MonumentWithTimeline) -> MonumentDetailDict:
    """A monument with its timeline (`public_reports`, prefetched oldest event first)."""
    timeline = [report_summary(request, report) for report in monument.public_reports]
    return {**monument_with_condition(request, monument), "timeline": timeline}


def report_place(report: ApiReportRow) -> CoordinatesDict:
    """Where a report from DamageReport.objects.for_api() happened, as public: its monument's
    point, else its site's."""
    latitude, longitude = report.monument_latitude, report.monument_longitude
    if latitude is None or longitude is None:
        latitude, longitude = report.site_latitude, report.site_longitude
    coarsened = report.site_location_is_sensitive
    return coordinates(public_point(latitude, longitude, coarsened=coarsened), coarsened=coarsened)


# The CSV of reports: column -> the key of the report's representation it shows, or how it is
# made from the representation and the place. Adding a column is one line.
ReportCell = str | Callable[[ReportDict, CoordinatesDict], Any]
REPORT_CSV_COLUMNS: dict[str, ReportCell] = {
    "id": "id",
    "url": "url",
    "site": lambda report, place: report["site"]["name"],
    "site_unesco_id": lambda report, place: report["site"]["unesco_id"],
    "monument": lambda report, place: report["monument"] and report["monument"]["name"],
    "monument_kind": lambda report, place: report["monument"] and report["monument"]["kind"],
    "latitude": lambda report, place: place["latitude"],
    "longitude": lambda report, place: place["longitude"],
    "coordinates_coarsened": lambda report, place: place["coordinates_coarsened"],
    "occurred": "occurred",
    "occurred_edtf": "occurred_edtf",
    "occurred_on": "occurred_on",
    "occurred_on_precision": "occurred_on_precision",
    "occurred_on_approximate": "occurred_on_approximate",
    "occurred_until": "occurred_until",
    "occurred_until_precision": "occurred_until_precision",
    "occurred_until_approximate": "occurred_until_approximate",
    "observed_on": "observed_on",
    "damage_type": "damage_type",
    "eamena_disturbance_cause": "eamena_disturbance_cause",
    "extent": "extent",
    "eamena_damage_severity": "eamena_damage_severity",
    "certainty": "certainty",
    "assessment_basis": "assessment_basis",
    "responsible_party": "responsible_party",
    "summary": "summary",
    "external_id": "external_id",
    "published_at": "published_at",
    "citation_count": "citation_count",
    "source_count": "source_count",
    "disputed": "disputed",
    "sources": lambda report, place: " | ".join(
        f"{c['article']['title']} ({c['article']['source_url']})"
        if c["article"]["source_url"]
        else c["article"]["title"]
        for c in report["citations"]
    ),
    "quotes": lambda report, place: " | ".join(c["quote"] for c in report["citations"]),
    "stances": lambda report, place: " | ".join(c["stance"] for c in report["citations"]),
    "archived_copies": lambda report, place: " | ".join(
        c["article"]["archive_url"] for c in report["citations"]
    ),
}


def report_csv_row(request: AnyRequest, report: ApiReportRow) -> list[str]:
    """One CSV row of REPORT_CSV_COLUMNS, for a report as report_representation takes it."""
    shown, place = report_representation(request, report), report_place(report)
    fields: dict[str, Any] = dict(shown)
    return [
        _csv_text(fields[cell] if isinstance(cell, str) else cell(shown, place))
        for cell in REPORT_CSV_COLUMNS.values()
    ]


def _csv_text(value: Any) -> str:
    """A cell as the CSV writes it: empty for null, true/false for yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
