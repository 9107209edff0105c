"""The public pages, for people: what the database holds, sites, monuments, reports, sources
and a search, in English and Arabic (/ar/…). Server-rendered; every page links to the API
address and downloads of what it shows. What a page shows of a record is the API's
representation of it (reports.representations, sites.representations): one shape, one rule
for "public" (DamageReport.objects.public()), coordinates coarsened the same way."""

from __future__ import annotations

import datetime
import functools
import urllib.parse
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, cast

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from heritage.api.links import path_around_key
from reports.event_dates import EventDate
from reports.filters import ReportFilter
from reports.models import (
    ApiReportRow,
    Citation,
    DamageReport,
    DamageReportQuerySet,
    SourceArticle,
    monuments_with_condition,
    public_data_version,
    sites_with_report_counts,
    worst_conditions_by_site,
)
from reports.releases import published_releases, release_path
from reports.representations import (
    monument_with_condition,
    report_representation,
    report_summary,
    site_with_counts,
    source_representation,
)
from reports.timeline import EXTENT_COLOURS, Mark, Row, legend, timeline_svg, timeline_title
from reports.vocabularies import Certainty, DamageType, DatePrecision, Extent, Stance
from sites.filters import SiteFilter
from sites.models import (
    AlternativeName,
    HeritageSite,
    Monument,
    SiteName,
    name_in,
    public_point,
)
from sites.representations import coordinates

LATEST = 10
LATEST_ON_SITE = 50
SEARCH_PAGE_SIZE = 25


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _api(view_name: str, *args: Any, query: str = "") -> str:
    path = reverse(view_name, args=args)
    return f"{path}?{query}" if query else path


def _links_of(view_name: str, *first: str) -> Callable[[str | int], str]:
    """Links to many records of one view on a page (a slug or a number each, which reverse()
    would not quote), after the `first` arguments: reversed once, not once a link (1,000
    sites on the home map)."""
    around = path_around_key(view_name, "0", *first)
    if around is None:  # "0" fits every key of our pages' addresses, as it is
        raise ValueError(f"{view_name}'s address does not show its key")
    before, after = around
    return lambda key: f"{before}{key}{after}"


def _map_point(
    name: str, url: str, place: Mapping[str, Any], condition: str | None
) -> dict | None:
    """What the map's script draws for a place (public coordinates only), or None."""
    if place["latitude"] is None or place["longitude"] is None:
        return None
    return {
        "name": name,
        "url": url,
        "lat": place["latitude"],
        "lon": place["longitude"],
        "coarsened": place["coordinates_coarsened"],
        "condition": condition or "",
        "colour": EXTENT_COLOURS.get(condition or Extent.UNKNOWN),
        "label": _condition_labels()[condition or ""],
    }


def _condition_labels() -> dict[str, str]:
    """Each condition's label in the page's language, and "" for none (translated once per
    language: a lazy label's translation cost more than the rest of a map point)."""
    return _labels_in(_language())


@functools.lru_cache(maxsize=8)
def _labels_in(language: str) -> dict[str, str]:
    with translation.override(language):
        labels = {extent: str(label) for extent, label in Extent.choices}
        labels[""] = _("No monument's condition recorded")
    return labels


def _map_settings() -> dict:
    return {"tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


def _country_names(site: HeritageSite) -> list[str]:
    """The site's countries' names in the page's language (django-countries translates them)."""
    return [str(country.name) for country in site.countries]  # type: ignore[attr-defined]


def _site_name(site: HeritageSite) -> str:
    return name_in(_language(), site.name, list(site.other_names.all()))


def _monument_name(monument: Monument) -> str:
    return name_in(_language(), monument.name, list(monument.alternative_names.all()))


def home(request: HttpRequest) -> HttpResponse:
    """Counts, a map of the sites with published reports, the latest reports and retractions."""
    public = DamageReport.objects.public()
    # The map sums up the whole database: computed once per version of the public data and
    # language (60 ms at 200,000 reports), then kept with the API's answers.
    key = f"home-map:{public_data_version()}:{_language()}"
    kept = caches["api"].get(key)
    if kept is None:
        kept = _sites_on_the_map()
        caches["api"].set(key, kept)
    # Kept with paths under "/", whatever address the server is mounted at (a client-chosen
    # SCRIPT_NAME must not make an entry of its own).
    prefix = get_script_prefix().rstrip("/")
    points = [{**point, "url": prefix + point["url"]} for point in kept] if prefix else kept
    latest = [
        _summary(request, report)
        for report in _with_names(public).order_by("-published_at", "-pk")[:LATEST]
    ]
    retracted = (
        DamageReport.objects.retracted_from_public()
        .select_related("site", "monument")
        .order_by("-retracted_at", "-pk")[:LATEST]  # report_status_retracted_idx
    )
    context = {
        "counts": {
            "sites": HeritageSite.objects.count(),
            "monuments": Monument.objects.count(),
            "reports": public.count(),
        },
        "points": points,
        "map": _map_settings(),
        "legend": legend(),
        "latest": latest,
        "retracted": [_retraction(report) for report in retracted],
        "api_url": reverse("api:api-root"),
        "csv_url": _api("api:report-list", query="format=csv"),
        "geojson_url": _api("api:site-list", query="format=geojson"),
    }
    return render(request, "pages/home.html", context)


def occurred_local(date: EventDate) -> str:
    """An event date as the page's language writes it, at its precision ("May 2015",
    "مايو 2015", "about 25 August 2015"): the API's `occurred`, in the reader's language."""
    language = _language()

    def text(day: datetime.date, precision: str, approximate: bool) -> str:
        written = _date_text(language, day, precision or DatePrecision.DAY)
        return _("about %(date)s") % {"date": written} if approximate else written

    start = text(date.on, date.on_precision, date.on_approximate)
    if date.until is None:
        return start
    return f"{start} – {text(date.until, date.until_precision, date.until_approximate)}"


@functools.lru_cache(maxsize=20_000)
def _date_text(language: str, day: datetime.date, precision: str) -> str:
    # Remembered: Django's date_format took a third of a large site's timeline.
    forms: dict[str, str] = {DatePrecision.YEAR: "Y", DatePrecision.MONTH: "F Y"}
    with translation.override(language):
        return date_format(day, forms.get(precision, "j F Y"))


def _with_names(reports: DamageReportQuerySet) -> DamageReportQuerySet:
    """Reports with their site and monument and those places' names in every language, and
    how well each is sourced (a list flags "one source" and "disputed")."""
    return (
        reports.with_corroboration()
        .select_related("site", "monument")
        .prefetch_related("site__other_names", "monument__alternative_names")
    )


def _occurred_of(report: DamageReport) -> str:
    return occurred_local(report.event_date)


def _sites_on_the_map() -> list[dict]:
    """Every site with published reports, coloured by its worst monument's current condition."""
    worst = worst_conditions_by_site()
    # Columns, not instances: a thousand sites.
    reported_sites = (
        HeritageSite.objects.filter(
            Exists(DamageReport.objects.public().filter(site=OuterRef("pk")))
        )
        .order_by("name")
        .values_list("pk", "slug", "name", "latitude", "longitude", "location_is_sensitive")
    )
    language = _language()
    others: dict[int, list[SiteName]] = {}
    for other in SiteName.objects.filter(language__startswith=language.split("-")[0]):
        others.setdefault(other.site_id, []).append(other)
    points = []
    # Paths under "/" (home() puts the script prefix back).
    prefix = get_script_prefix().rstrip("/")
    link = _links_of("pages:site")
    site_url = lambda slug: link(slug).removeprefix(prefix)  # noqa: E731
    for pk, slug, name, latitude, longitude, sensitive in reported_sites:
        point = public_point(latitude, longitude, coarsened=sensitive)
        place = coordinates(point, coarsened=sensitive)
        shown = name_in(language, name, others.get(pk, []))
        if map_point := _map_point(shown, site_url(slug), place, worst.get(pk)):
            points.append(map_point)
    return points


def _summary(request: HttpRequest, report: DamageReport) -> dict:
    """A report in a list: its summary shape, its place's name in the page's language."""
    shown: dict[str, Any] = dict(report_summary(request, report))
    shown["occurred"] = _occurred_of(report)
    shown["page_url"] = reverse("pages:report", args=[report.pk])
    shown["site_name"] = _site_name(report.site)
    shown["monument_name"] = _monument_name(report.monument) if report.monument else None
    shown["extent_label"] = Extent(report.extent).label
    # Annotated by _with_names; a timeline's reports are drawn, not listed, without them.
    shown["single_source"] = getattr(report, "source_count", None) == 1
    shown["disputed"] = getattr(report, "disputed", False)
    return shown


def _retraction(report: DamageReport) -> dict:
    return {
        "id": report.pk,
        "page_url": reverse("pages:report", args=[report.pk]),
        # Withdrawn before retracted_at was recorded: its last change is the best we know.
        "when": report.retracted_at or report.updated_at,
        "reason": report.retraction_reason,
    }


def site_list(request: HttpRequest) -> HttpResponse:
    """Sites, filtered by country, danger list and damage, with their report counts."""
    sites = sites_with_report_counts(
        HeritageSite.objects.with_monument_count().prefetch_related("other_names")
    ).order_by("name")
    country = request.GET.get("country", "").strip()
    # The API's filters (sites.filters.SiteFilter), fed from the page's form.
    chosen = {"country": country} if country else {}
    if request.GET.get("in_danger") == "1":
        chosen["in_danger"] = "true"
    site_filter = SiteFilter(chosen, queryset=sites)
    sites = site_filter.qs if site_filter.is_valid() else sites.none()
    if request.GET.get("damaged") == "1":
        sites = sites.filter(Exists(DamageReport.objects.public().filter(site=OuterRef("pk"))))
    page = _page(request, sites, 50)
    rows = []
    for site in page.object_list:
        shown: dict[str, Any] = dict(site_with_counts(request, site))
        shown["page_url"] = reverse("pages:site", args=[site.slug])
        shown["display_name"] = _site_name(site)
        shown["total"] = sum(shown["published_reports"].values())
        shown["country_names"] = _country_names(site)
        rows.append(shown)
    context = {
        "sites": rows,
        "page": page,
        "filters": {"country": country, "in_danger": request.GET.get("in_danger") == "1"},
        "errors": [e for errors in site_filter.errors.values() for e in errors],
        "damaged": request.GET.get("damaged") == "1",
        "api_url": _api("api:site-list", query=urllib.parse.urlencode(chosen)),
        "geojson_url": _api("api:site-list", query="format=geojson"),
        "query": _query_without_page(request),
    }
    return render(request, "pages/site_list.html", context)


def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A site: its UNESCO facts, its monuments' map and condition timeline, its reports."""
    site = get_object_or_404(
        sites_with_report_counts(
            HeritageSite.objects.with_monument_count().prefetch_related("other_names")
        ),
        slug=slug,
    )
    monuments = list(
        monuments_with_condition(
            site.monuments.select_related("site").prefetch_related("alternative_names")
        ).order_by("name")
    )
    entries = _timeline_entries(DamageReport.objects.public().filter(site=site))
    latest = _with_names(DamageReport.objects.public().filter(site=site)).order_by(
        "-occurred_on", "-occurred_latest", "-pk"
    )[:LATEST_ON_SITE]
    shown = dict(site_with_counts(request, site))
    by_id = {entry.pk: entry for entry in entries}
    monument_url = _links_of("pages:monument", site.slug)
    places = {m.pk: (_monument_name(m), monument_url(m.slug)) for m in monuments}
    site_row = (_("The site as a whole"), request.path)
    rows = _timeline_rows(entries, places, site_row)
    points = []
    monument_rows = []
    for monument in monuments:
        entry: dict[str, Any] = dict(monument_with_condition(request, monument))  # type: ignore[arg-type]
        entry["display_name"], entry["page_url"] = places[monument.pk]
        entry["condition_label"] = Extent(entry["condition"]).label if entry["condition"] else ""
        since = by_id.get(monument.condition_report_id)  # type: ignore[attr-defined]
        entry["condition_since_text"] = since.occurred if since else ""
        monument_rows.append(entry)
        place = {key: entry[key] for key in ("latitude", "longitude", "coordinates_coarsened")}
        point = _map_point(entry["display_name"], entry["page_url"], place, entry["condition"])
        if point:
            points.append(point)
    context = {
        "site": shown,
        "display_name": _site_name(site),
        "country_names": _country_names(site),
        "monuments": monument_rows,
        "points": points,
        "map": _map_settings(),
        "legend": legend(),
        "timeline": timeline_svg(rows, title=timeline_title(_site_name(site))),
        "timeline_rows": rows,
        # The latest; the search page has them all (a large site has thousands).
        "reports": [_summary(request, report) for report in latest],
        "all_reports_url": reverse("pages:search") + f"?site={site.slug}",
        "report_total": len(entries),
        "api_url": _api("api:site-detail", site.slug),
        "csv_url": _api("api:report-list", query=f"site={site.slug}&format=csv"),
        "geojson_url": _api("api:monument-list", query=f"site={site.slug}&format=geojson"),
        "feed_url": reverse("pages:site-feed", args=[site.slug]),
    }
    return render(request, "pages/site.html", context)


class TimelineEntry(NamedTuple):
    """What a timeline needs of a report (read as columns: a site has hundreds)."""

    pk: int
    monument_id: int | None
    start: datetime.date
    end: datetime.date
    extent: str
    occurred: str  # in the page's language


def _timeline_entries(reports: DamageReportQuerySet) -> list[TimelineEntry]:
    """These published reports, oldest event first, as TimelineEntries (one query)."""
    columns = reports.order_by("occurred_on", "occurred_latest", "pk").values_list(
        "pk",
        "monument_id",
        "occurred_on",
        "occurred_on_precision",
        "occurred_on_approximate",
        "occurred_until",
        "occurred_until_precision",
        "occurred_until_approximate",
        "occurred_earliest",
        "occurred_latest",
        "extent",
    )
    return [
        # Drawn over the whole span it may have happened in, approximation included.
        TimelineEntry(
            pk, monument, earliest, latest, extent, occurred_local(EventDate(*cast(Any, date)))
        )
        for pk, monument, *date, earliest, latest, extent in columns
    ]


def _timeline_rows(
    entries: list[TimelineEntry],
    places: dict[int, tuple[str, str]],
    site_row: tuple[str, str],
) -> list[Row]:
    """One row per monument with reports, named and linked as `places` says, and one for the
    site as a whole (`site_row`) if it has reports of its own."""
    rows: dict[int | None, Row] = {}
    report_url = _links_of("pages:report")
    labels = _condition_labels()
    for entry in entries:
        key = entry.monument_id
        if key not in rows:
            # A monument moved to another site since keeps its reports here: the site's row.
            name, url = places.get(key, site_row) if key is not None else site_row
            rows[key] = Row(name=name, url=url)
        rows[key].marks.append(
            Mark(
                start=entry.start,
                end=entry.end,
                extent=entry.extent,
                label=f"{entry.occurred}, {labels[entry.extent]}",
                url=report_url(entry.pk),
            )
        )
    return list(rows.values())


def monument_page(request: HttpRequest, site_slug: str, slug: str) -> HttpResponse:
    """A monument: its names, current condition, timeline and every published report in full."""
    monument = get_object_or_404(
        monuments_with_condition(
            Monument.objects.select_related("site").prefetch_related(
                "alternative_names", "site__other_names"
            )
        ),
        site__slug=site_slug,
        slug=slug,
    )
    shown: dict[str, Any] = dict(monument_with_condition(request, monument))  # type: ignore[arg-type]
    rows = list(DamageReport.objects.for_api().filter(monument=monument).order_by("occurred_on"))
    reports = [_full(request, row) for row in rows]
    entries = _timeline_entries(DamageReport.objects.public().filter(monument=monument))
    display_name = _monument_name(monument)
    timeline_rows = _timeline_rows(entries, {monument.pk: (display_name, request.path)}, ("", ""))
    place = {key: shown[key] for key in ("latitude", "longitude", "coordinates_coarsened")}
    point = _map_point(display_name, request.path, place, shown["condition"])
    context = {
        "monument": shown,
        "display_name": display_name,
        "site_name": _site_name(monument.site),
        "site_url": reverse("pages:site", args=[monument.site.slug]),
        "names": [name for name in shown["other_names"] if name["name"] != display_name],
        "condition_label": Extent(shown["condition"]).label if shown["condition"] else "",
        "condition_since": next(
            (
                entry.occurred
                for entry in entries
                if entry.pk == monument.condition_report_id  # type: ignore[attr-defined]
            ),
            "",
        ),
        "reports": reports,
        "timeline": timeline_svg(timeline_rows, title=timeline_title(display_name)),
        "timeline_rows": timeline_rows,
        "legend": legend(),
        "points": [point] if point else [],
        "map": _map_settings(),
        "api_url": _api("api:monument-detail", monument.key),
        "csv_url": _api("api:report-list", query=f"monument={monument.key}&format=csv"),
        "geojson_url": _api("api:monument-list", query=f"format=geojson&site={site_slug}"),
    }
    return render(request, "pages/monument.html", context)


def _full(request: HttpRequest, row: ApiReportRow) -> dict:
    """A report in full, as the API shows it, with the labels and links a page needs."""
    shown: dict[str, Any] = dict(report_representation(request, row))
    source_url = _links_of("pages:source")
    shown["page_url"] = reverse("pages:report", args=[row.id])
    shown["occurred"] = occurred_local(row.event_date)
    shown["extent_label"] = Extent(row.extent).label
    shown["damage_type_label"] = DamageType(row.damage_type).label
    shown["certainty_label"] = Certainty(row.certainty).label
    # A disputed claim's supporting and disputing quotes side by side; context after.
    by_stance: dict[str, list] = {stance: [] for stance in Stance.values}
    for citation in shown["citations"]:
        by_stance[citation["stance"]].append(citation)
    shown["supporting"], shown["disputing"] = (
        by_stance[Stance.SUPPORTS],
        by_stance[Stance.DISPUTES],
    )
    shown["context"] = by_stance[Stance.CONTEXT]
    for citation in shown["citations"]:
        article = citation["article"]
        citation["source_page_url"] = source_url(article["id"])
        day = article["published_on"]
        article["published_on_text"] = (
            _date_text(_language(), datetime.date.fromisoformat(day), DatePrecision.DAY)
            if day
            else ""
        )
    return shown


def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One published report; a retracted one answers 410 saying when and why, nothing else."""
    _check_id(pk)
    row = DamageReport.objects.for_api_one(pk)
    if row is None:
        retracted = DamageReport.objects.retracted_from_public().filter(pk=pk).first()
        if retracted is None:
            raise Http404
        gone = {"retraction": _retraction(retracted)}
        return render(request, "pages/retracted.html", gone, status=410)
    report = _full(request, row)
    language = _language()
    site_names = SiteName.objects.filter(site__slug=row.site_slug)
    context = {
        "report": report,
        "site_name": name_in(language, row.site_name, site_names),
        "monument_name": name_in(
            language,
            row.monument_name or "",
            AlternativeName.objects.filter(
                monument__site__slug=row.site_slug, monument__slug=row.monument_slug
            ),
        )
        if row.monument_slug
        else None,
        "site_url": reverse("pages:site", args=[row.site_slug]),
        "monument_url": reverse("pages:monument", args=[row.site_slug, row.monument_slug])
        if row.monument_slug
        else None,
        "api_url": _api("api:report-detail", pk),
        "csv_url": _api("api:report-detail", pk, query="format=csv"),
    }
    return render(request, "pages/report.html", context)


def source_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An article cited by published reports: what it is and who cites it (never its text)."""
    _check_id(pk)
    citing = (
        Citation.objects.public()
        .select_related("report__site", "report__monument__site")
        .prefetch_related("report__site__other_names", "report__monument__alternative_names")
        .order_by("report__occurred_on", "pk")
    )
    article = get_object_or_404(
        SourceArticle.objects.public().prefetch_related(
            Prefetch("citations", citing, to_attr="public_citations")
        ),
        pk=pk,
    )
    shown: dict[str, Any] = dict(source_representation(request, article))
    report_url = _links_of("pages:report")
    citations: list[Citation] = article.public_citations  # type: ignore[attr-defined]
    for cited, citation in zip(shown["cited_by"], citations, strict=True):
        cited["page_url"] = report_url(citation.report_id)
        cited["occurred"] = _occurred_of(citation.report)
        place = citation.report.monument
        cited["place_name"] = _monument_name(place) if place else _site_name(citation.report.site)
    shown["published_on_text"] = (
        _date_text(_language(), article.published_on, DatePrecision.DAY)
        if article.published_on
        else ""
    )
    context = {
        "source": shown,
        "api_url": _api("api:source-detail", pk),
    }
    return render(request, "pages/source.html", context)


def search(request: HttpRequest) -> HttpResponse:
    """The API's report filters and words, as a form; results paged, each linking to its page."""
    form_filter = ReportFilter(request.GET or None, queryset=DamageReport.objects.public())
    # A site by its slug, as in the API: a list of a thousand sites took most of the page.
    fields = form_filter.form.fields
    fields["site"].widget = forms.TextInput(attrs={"size": 12, "placeholder": "palmyra"})
    fields["in_danger"].widget = forms.Select(
        choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))]
    )
    # Boxes to tick, not lists that need a modifier key to pick several.
    for name in ("damage_type", "extent", "certainty"):
        field = cast(forms.MultipleChoiceField, fields[name])
        field.widget = forms.CheckboxSelectMultiple()
        field.choices = field.choices  # the field hands its choices to its new widget
    words = request.GET.get("q", "").strip()
    refused_words = "\x00" in words  # as the API refuses it: nothing found, and why
    results: DamageReportQuerySet = DamageReport.objects.none()
    page = None
    if form_filter.is_bound and form_filter.is_valid() or words:
        results = (
            cast(DamageReportQuerySet, form_filter.qs)
            if form_filter.is_bound and form_filter.is_valid()
            else (DamageReport.objects.public())
        )
        if refused_words:
            results = DamageReport.objects.none()
        elif words:
            results = results.search(words)
        results = _with_names(results).order_by("-occurred_on", "-pk")
        page = _page_uncounted(request, results, SEARCH_PAGE_SIZE)
    # Only what the API takes: its filters' parameters, and the words as its `search`.
    pairs = [
        (key, value)
        for key, values in request.GET.lists()
        if key in ReportFilter.base_filters
        for value in values
    ]
    api_query = urllib.parse.urlencode(pairs + ([("search", words)] if words else []))
    context = {
        "filter": form_filter,
        "words": words,
        "refused_words": refused_words,
        "page": page,
        "results": [_summary(request, r) for r in page.object_list] if page else [],
        "api_url": _api("api:report-list", query=api_query),
        "csv_url": _api(
            "api:report-list", query="&".join(filter(None, [api_query, "format=csv"]))
        ),
        "query": _query_without_page(request),
    }
    return render(request, "pages/search.html", context)


def _check_id(pk: int) -> None:
    """A number past the database's 64 bits is no record's: a 404, not the driver's error."""
    if not 0 < pk < 2**63:
        raise Http404


def _page_number(request: HttpRequest, most_digits: int) -> int:
    """The `page` parameter, from 1: anything else (², -1, 10^20) is no page, a 404."""
    number = request.GET.get("page", "1")
    if not (number.isascii() and number.isdigit()) or len(number) > most_digits:
        raise Http404
    if int(number) < 1:
        raise Http404
    return int(number)


def _page(request: HttpRequest, items: Any, size: int):
    try:
        return Paginator(items, size).page(_page_number(request, 9))
    except EmptyPage:
        raise Http404 from None


class UncountedPage(NamedTuple):
    """A page of results whose total is not counted: counting every match of words found in
    most reports took longer than the page (the API's cursor does without a count too)."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * SEARCH_PAGE_SIZE + 1 if self.object_list else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * SEARCH_PAGE_SIZE + len(self.object_list)


def _page_uncounted(request: HttpRequest, items: QuerySet, size: int) -> UncountedPage:
    number = _page_number(request, 6)
    at = (number - 1) * size
    rows = list(items[at : at + size + 1])  # one more: is there a next page?
    if not rows and number > 1:
        raise Http404
    return UncountedPage(rows[:size], number, len(rows) > size)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def releases(request: HttpRequest) -> HttpResponse:
    """The citable releases (reports.releases), newest first, with their files' checksums."""
    found = published_releases()
    for release in found:
        for file in release["files"]:
            file["url"] = reverse("pages:release-file", args=[release["name"], file["name"]])
    context = {"releases": found, "licence": settings.RELEASE_LICENCE}
    return render(request, "pages/releases.html", context)


def release_download(request: HttpRequest, name: str, file: str) -> FileResponse:
    """A file of a release; only the files its manifest lists (a 404 for any other path)."""
    path = release_path(name, file)
    if path is None:
        raise Http404
    content_type = RELEASE_CONTENT_TYPES.get(path.suffix, "text/plain; charset=utf-8")
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"  # a release never changes
    return response


RELEASE_CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".geojson": "application/geo+json",
    ".jsonld": "application/ld+json",
    ".md": "text/markdown; charset=utf-8",
}
