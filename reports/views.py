"""The public, read-only API's endpoints (heritage/api/urls.py routes them): sites, monuments,
damage reports and sources, and the public photo files. Every report and citation shown comes
from `.public()`."""

import csv
import datetime
import functools
import itertools
from collections.abc import Iterable, Iterator
from typing import Any, cast

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from drf_spectacular.utils import OpenApiResponse
from rest_framework import renderers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request

from heritage.admin_input import int_param
from heritage.api.access import read_only_view
from heritage.api.filtering import StrictFilterBackend, StrictOrderingFilter, StrictSearchFilter
from heritage.api.pagination import FeedPagination, KeysetPagination, PageNumberPagination
from heritage.api.renderers import (
    CSVRenderer,
    GeoJSONRenderer,
    JSONLDRenderer,
    JSONRenderer,
    spreadsheet_safe,
)
from heritage.api.schema import DETAIL
from heritage.api.viewsets import PublicViewSet
from heritage.health import OUTAGE_MESSAGE, RETRY_AFTER_SECONDS
from heritage.read_replicas import close_broken_connections
from reports import linked_data
from reports.filters import ChangeFilter, ReportFilter, ReportSearchFilter, SourceFilter
from reports.models import (
    EVIDENCE_VARIANTS,
    ApiReportRow,
    Citation,
    DamageReport,
    Evidence,
    PublicChange,
    SourceArticle,
    monuments_with_condition,
    sites_with_report_counts,
)
from reports.representations import REPORT_CSV_COLUMNS, report_csv_row
from reports.serializers import (
    ChangeSerializer,
    MonumentDetailSerializer,
    MonumentWithConditionSerializer,
    ReportSerializer,
    SiteDetailSerializer,
    SiteWithCountsSerializer,
    SourceSerializer,
)
from sites.filters import MonumentFilter, SiteFilter
from sites.models import HeritageSite, Monument, MonumentQuerySet

CSV_CHUNK = 2000


class Gone(APIException):
    status_code = 410
    default_detail = "This report was retracted by the curators and is no longer published."
    default_code = "retracted"


class PlaceViewSet(PublicViewSet):
    """Sites and monuments alike: paged by number, searchable and sortable, GeoJSON too; one
    record shown by `detail_serializer_class`."""

    pagination_class = PageNumberPagination
    renderer_classes = [
        JSONRenderer,
        renderers.BrowsableAPIRenderer,
        GeoJSONRenderer,
        JSONLDRenderer,
    ]
    filter_backends = [StrictFilterBackend, StrictSearchFilter, StrictOrderingFilter]
    detail_serializer_class: type | None = None
    # How one record's representation is said in JSON-LD (reports.linked_data).
    linked_data_node: Any = None

    def linked_data(self, request: Request, data: Any) -> dict:
        return linked_data.document(request, type(self).linked_data_node, data)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return self.serializer_class


class SiteViewSet(PlaceViewSet):
    """Heritage sites: World Heritage properties and other sites, with counts of their published
    reports by extent; one site also lists its monuments and their current condition.
    `?format=geojson` gives an RFC 7946 FeatureCollection. (Here, not in the sites app: what a
    site's answer says of reports is the reports app's to know.)"""

    lookup_field = "slug"
    lookup_description = "The site's slug, e.g. palmyra."
    missing_detail = "No site has this slug."
    serializer_class = SiteWithCountsSerializer
    detail_serializer_class = SiteDetailSerializer
    linked_data_node = linked_data.site_document
    filterset_class = SiteFilter
    search_fields = ["name"]
    ordering_fields = ["name", "unesco_id", "year_inscribed", "in_danger_since"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[HeritageSite]:
        queryset = sites_with_report_counts(
            HeritageSite.objects.with_monument_count().prefetch_related("other_names")
        )
        if self.action == "retrieve":
            monuments = monuments_with_condition(Monument.objects.select_related("site"))
            queryset = queryset.prefetch_related(Prefetch("monuments", monuments.order_by("name")))
        return queryset


class MonumentViewSet(PlaceViewSet):
    """Monuments inside sites, addressed as {site slug}/{monument slug}, with their current
    condition; one monument also gives its timeline of published reports, oldest event first.
    `?format=geojson` gives an RFC 7946 FeatureCollection."""

    lookup_url_kwarg = "key"
    lookup_value_regex = r"[-\w]+/[-\w]+"
    lookup_description = "Site slug / monument slug, e.g. palmyra/temple-of-bel."
    missing_detail = "No monument has this key (site slug / monument slug)."
    serializer_class = MonumentWithConditionSerializer
    detail_serializer_class = MonumentDetailSerializer
    linked_data_node = linked_data.monument_document
    filterset_class = MonumentFilter
    search_fields = ["name", "alternative_names__name"]
    ordering_fields = ["name", "kind"]
    ordering = ["site__name", "name"]

    def get_queryset(self) -> QuerySet[Monument]:
        queryset = monuments_with_condition(
            Monument.objects.select_related("site").prefetch_related("alternative_names")
        )
        if self.action == "retrieve":
            timeline = DamageReport.objects.public().order_by(
                "occurred_on", "occurred_latest", "pk"
            )
            queryset = queryset.prefetch_related(
                Prefetch("damage_reports", timeline, to_attr="public_reports")
            )
        return queryset

    def get_object(self) -> Monument:
        # Filtering keeps the queryset's class; the stubs type it as a plain QuerySet.
        filtered = cast(MonumentQuerySet, self.filter_queryset(self.get_queryset()))
        queryset = filtered.with_key(self.kwargs["key"])
        monument = get_object_or_404(queryset)
        self.check_object_permissions(self.request, monument)
        return monument


class ReportViewSet(PublicViewSet):
    """Published damage reports, each with the quotes that back it. Lists are paged with a
    cursor (follow `next`); `?format=csv` streams every matching report as CSV."""

    serializer_class = ReportSerializer
    lookup_value_regex = r"[0-9]+"
    lookup_description = "The report's number."
    missing_detail = "No published report has this id."
    extra_detail_responses = {
        "410": OpenApiResponse(DETAIL, "The report was retracted; nothing else of it is shown.")
    }
    filterset_class = ReportFilter
    pagination_class = KeysetPagination
    keyset_orderings = {
        "-occurred_on": ("-occurred_on", "-id"),
        "occurred_on": ("occurred_on", "id"),
        "-published_at": ("-published_at", "-id"),
        "published_at": ("published_at", "id"),
    }
    renderer_classes = [JSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer, JSONLDRenderer]
    filter_backends = [StrictFilterBackend, ReportSearchFilter]

    def linked_data(self, request: Request, data: Any) -> dict:
        return linked_data.document(request, linked_data.report_document, data)

    def get_queryset(self) -> QuerySet[DamageReport, ApiReportRow]:
        return _api_reports(connection.vendor).all()

    def wants_csv(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format == CSVRenderer.format

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        if self.wants_csv():
            return self.csv_response(request)
        return super().list(request, *args, **kwargs)

    def get_object(self) -> ApiReportRow:  # a row, not a model instance
        """The published report of the address, by the statement for_api_one keeps."""
        pk = int_param(self.kwargs["pk"])  # 20 digits: no report, not a database error
        report = DamageReport.objects.for_api_one(pk) if pk is not None else None
        if report is None:
            raise Http404
        return report

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        try:
            if self.wants_csv():
                return self.csv_detail_response()
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            # A report the public once saw says it was withdrawn; nothing else of it is shown.
            if DamageReport.objects.retracted_from_public().filter(pk=kwargs["pk"]).exists():
                raise Gone() from None
            raise

    def csv_response(self, request: Request) -> StreamingHttpResponse | HttpResponse:
        """Every matching report, streamed in chunks so memory stays flat however many. The
        first chunk is read before the answer starts, so that a database outage is a 503, not
        a 200 cut short; a client holding the same data version gets a 304 without a query
        for the reports."""
        paging = {"cursor", "page_size"} & set(request.query_params)
        if paging:
            message = "Not used with format=csv: the CSV holds every matching report."
            raise ValidationError({name: [message] for name in sorted(paging)})
        ordering = KeysetPagination().ordering_from(request, self)
        # Filtering keeps for_api's rows; the stubs type filter_queryset by models.
        filtered = cast(
            "QuerySet[DamageReport, ApiReportRow]", self.filter_queryset(self.get_queryset())
        )
        queryset = filtered.order_by(*ordering)
        etag = self.streamed_etag(request)
        if answer := self.conditional_answer(request, etag):
            return answer
        batches = _batches(queryset.iterator(chunk_size=CSV_CHUNK), CSV_CHUNK)
        first = next(batches, [])
        lines = csv_lines(request, itertools.chain([first], batches))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="damage-reports.csv"'
        response["ETag"] = etag
        return response

    def csv_detail_response(self) -> HttpResponse:
        """One report as a CSV of one row, with the list's columns."""
        report = self.get_object()
        response = HttpResponse(
            "".join(csv_lines(self.request, [[report]])), content_type="text/csv; charset=utf-8"
        )
        filename = f"damage-report-{report.id}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@functools.cache
def _api_reports(vendor: str) -> QuerySet[DamageReport, ApiReportRow]:
    """DamageReport.objects.for_api(), built once per process (`vendor`: per database engine)
    and copied for each request: building its annotations cost more than copying them. Never
    evaluated itself, so it holds no rows."""
    return DamageReport.objects.for_api()


def csv_lines(request: Request, batches: Iterable[list[ApiReportRow]]) -> Iterator[str]:
    """The CSV of reports from DamageReport.objects.for_api(), read in batches: a header line,
    then one line a report (reports.representations.REPORT_CSV_COLUMNS), cells a spreadsheet
    would run as formulas neutralised. One query a batch."""
    writer = csv.writer(_Echo())
    yield writer.writerow(REPORT_CSV_COLUMNS)
    for batch in batches:
        for report in batch:
            yield writer.writerow([spreadsheet_safe(v) for v in report_csv_row(request, report)])


def _batches(rows: Iterator[ApiReportRow], size: int) -> Iterator[list[ApiReportRow]]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


class SourceViewSet(PublicViewSet):
    """Source articles cited by published reports, each with those reports and their quotes.
    Article texts are not republished: follow `source_url` to read them."""

    serializer_class = SourceSerializer
    lookup_value_regex = r"[0-9]+"
    lookup_description = "The article's number."
    missing_detail = "No article cited by a published report has this id."
    filterset_class = SourceFilter
    pagination_class = KeysetPagination
    keyset_orderings = {
        "-published_on": ("-sort_date", "-id"),
        "published_on": ("sort_date", "id"),
    }
    search_fields = ["title", "publisher", "author"]

    def get_queryset(self) -> QuerySet[SourceArticle]:
        citing = (
            Citation.objects.public()
            .select_related("report__site", "report__monument__site")
            .order_by("report__occurred_on", "pk")
        )
        return (
            SourceArticle.objects.public()
            .select_related("republished_from")
            # Undated articles sort as the oldest, so the cursor key is never null.
            .annotate(sort_date=Coalesce("published_on", Value(datetime.date(1, 1, 1))))
            .prefetch_related(Prefetch("citations", citing, to_attr="public_citations"))
        )


class ChangeViewSet(PublicViewSet):
    """The change feed, for mirrors: every publication, change and retraction of a report, in
    the order they became public, from `since` on. Follow `next` to read on, and keep the last
    `next` to ask again later: a change is listed once it has committed, and never behind a
    position already read, so a mirror that follows the links misses none, retractions
    included (reports.models.PublicChange)."""

    serializer_class = ChangeSerializer
    lookup_value_regex = r"[0-9]+"
    lookup_description = "The change's number."
    missing_detail = "No change has this number."
    filterset_class = ChangeFilter
    filter_backends = [StrictFilterBackend]
    pagination_class = FeedPagination
    keyset_orderings = {"sequence": ("sequence", "id")}

    def get_queryset(self) -> QuerySet[PublicChange]:
        # Numbered ones only: a change is numbered once the transaction making it commits.
        return PublicChange.objects.filter(sequence__isnull=False)


EVIDENCE_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
PHOTO_NOT_FOUND = "No published photo has this address."


@read_only_view
def evidence_file(request: HttpRequest, pk: int, variant: str) -> HttpResponseBase:
    """A photo's file. The web size and thumbnail of a published report's photo are public;
    anything else only curators may see (the original only ever to them). From MEDIA_ROOT the
    file itself; from a bucket a redirect (302) to a time-limited signed address of it, so no
    worker streams it. Errors in JSON, as the API's: during a database outage its 503; a 404
    the same whether the photo is missing, unpublished or retracted."""
    try:
        return _evidence_file(request, pk, variant)
    except Http404:
        return photo_not_found()
    except DatabaseError:
        close_broken_connections()
        response = JsonResponse({"detail": OUTAGE_MESSAGE}, status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response


def photo_not_found() -> JsonResponse:
    return JsonResponse({"detail": PHOTO_NOT_FOUND}, status=404)


def _evidence_file(request: HttpRequest, pk: int, variant: str) -> HttpResponseBase:
    evidence = get_object_or_404(Evidence.objects.select_related("report"), pk=pk)
    if variant not in EVIDENCE_VARIANTS:
        raise Http404
    public = evidence.is_public() and variant != "original"
    user = request.user
    if not public and not (
        user.is_active and user.is_staff and user.has_perm("reports.view_evidence")
    ):
        raise Http404
    extension = evidence.extension if variant == "original" else "jpg"
    content_type = EVIDENCE_CONTENT_TYPES[extension]
    # Public: cached no longer than the API's answers, so that a retracted report's photo
    # leaves shared caches as soon as the report leaves the API's.
    max_age = settings.API_CACHE_MAX_AGE
    signed_url = getattr(default_storage, "signed_url", None)
    if signed_url is not None:
        # A bucket (heritage.object_storage): the browser fetches the bytes from there, at a
        # signed address. A cached redirect must lead to an address still valid: kept at most
        # half as long as the signature. No ETag: a 304 would keep a signature that expires.
        max_age = min(max_age, settings.PHOTO_URL_SECONDS // 2)
        cache_control = f"public, max-age={max_age}" if public else "private, no-store"
        url = signed_url(
            evidence.file_name(variant), content_type=content_type, cache_control=cache_control
        )
        response: HttpResponseBase = HttpResponseRedirect(url)
        response["Cache-Control"] = cache_control
        return response
    # The file's name is its content's hash, so the hash and variant are a strong ETag, and a
    # client holding it is answered without opening the file.
    etag = f'"{evidence.sha256}-{variant}"'
    conditional = get_conditional_response(request, etag=etag)
    if conditional is None:
        try:
            handle = default_storage.open(evidence.file_name(variant))
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    else:
        response = conditional
    response["ETag"] = etag
    if public:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
