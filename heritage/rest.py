"""Building blocks shared by the public API's viewsets: read-only access, strict query
parameters, GeoJSON and CSV renderers, pagination, throttling and HTTP caching headers."""

from __future__ import annotations

import base64
import binascii
import csv
import datetime
import hashlib
import io
import json
import math
import re
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import (
    filters,
    negotiation,
    pagination,
    permissions,
    renderers,
    serializers,
    throttling,
    viewsets,
)
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from heritage.renderers import JSONRenderer

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class ReadOnly(permissions.BasePermission):
    """Only safe methods, whoever asks: curators write through the admin, never the API.
    Answers 405, as the missing handlers would, should a write handler ever be added."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method not in permissions.SAFE_METHODS:
            raise MethodNotAllowed(request.method)
        return True


def read_only_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A plain Django view outside the API (/healthz, /evidence/) that answers GET and HEAD
    only, anything else 405 with Allow and a JSON body, as the API does. CSRF-exempt: it never
    writes, and CsrfViewMiddleware would otherwise answer a write with its 403 page before the
    view could say 405."""

    @csrf_exempt
    @wraps(view)
    def read_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            message = f'Method "{request.method}" not allowed.'
            return JsonResponse({"detail": message}, status=405, headers={"Allow": "GET, HEAD"})
        return view(request, *args, **kwargs)

    return read_only


class PublicRateThrottle(throttling.AnonRateThrottle):
    """Requests per client address, at the rate of settings.API_THROTTLE_RATE (read on every
    request, so it can be changed without touching the class)."""

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE

    def get_ident(self, request: Request) -> str:
        return client_address(request)


def client_address(request: Request) -> str:
    """The client's address: the connection's own, unless settings.TRUSTED_PROXIES reverse
    proxies stand in front of the application. Each proxy appends the address it was called
    from to X-Forwarded-For, so behind N of them the client is the N-th entry from the right;
    anything further left was written by the client and proves nothing (a client sending a new
    X-Forwarded-For with each request must not escape throttling)."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if proxies and addresses:
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def page_size_from(request: Request, default: int = PAGE_SIZE) -> int:
    """The `page_size` parameter: a whole number from 1 to MAX_PAGE_SIZE."""
    return whole_number_from(request, "page_size", default, maximum=MAX_PAGE_SIZE)


def whole_number_from(request: Request, name: str, default: int, maximum: int | None) -> int:
    """A query parameter that must be a whole number from 1 to `maximum`, else a 400 naming
    it (an empty value too: "no page size" means nothing)."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    number = int(raw) if re.fullmatch(r"[0-9]{1,9}", raw.strip()) else 0
    if number < 1 or (maximum is not None and number > maximum):
        upto = f" to {maximum}" if maximum is not None else " up"
        raise ValidationError({name: [f"A whole number from 1{upto}."]})
    return number


def page_size_parameter(view: Any) -> dict:
    """`page_size` as the OpenAPI document describes it."""
    return {
        "name": "page_size",
        "in": "query",
        "required": False,
        "description": f"Results per page: default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}."
        + not_with_csv(view),
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }


def not_with_csv(view: Any) -> str:
    """What a paging parameter's description says where the view offers CSV, which holds every
    matching row and so refuses paging parameters."""
    if any(renderer.format == CSVRenderer.format for renderer in view.renderer_classes):
        return " Not with format=csv, which holds every matching row (400)."
    return ""


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    # Query parameters it reads (each view accepts only its own: see PublicViewSet).
    query_parameters = frozenset({"page", "page_size"})
    invalid_page_message = "No such page: this list has fewer pages."

    def get_page_size(self, request: Request) -> int:
        return page_size_from(request, self.page_size)

    def get_page_number(self, request: Request, paginator: Any) -> int:
        return whole_number_from(request, self.page_query_param, 1, maximum=None)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        envelope = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": "How many results match, on all pages.",
            "next": "The next page, or null on the last.",
            "previous": "The previous page, or null on the first.",
            "results": "This page's results.",
        }
        for name, description in descriptions.items():
            envelope["properties"][name]["description"] = description
        return envelope

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.page_query_param,
                "in": "query",
                "required": False,
                "description": "Page number, from 1 (a page past the last answers 404).",
                "schema": {"type": "integer", "minimum": 1},
            },
            page_size_parameter(view),
        ]


class KeysetPagination(pagination.BasePagination):
    """Cursor pagination on a (value, id) key: every row exactly once however many rows share
    a date, stable when rows are inserted, and as fast on page 1,000 as on page 1 (an index
    seek, no OFFSET). The view declares `keyset_orderings`: {ordering parameter value: the
    fields, ending with a unique one}. The first key is the default."""

    cursor_query_param = "cursor"
    ordering_query_param = "ordering"
    # Query parameters it reads (each view accepts only its own: see PublicViewSet).
    query_parameters = frozenset({cursor_query_param, ordering_query_param, "page_size"})

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list:
        self.request = request
        self.page_size = page_size_from(request)
        self.ordering = self.ordering_from(request, view)
        direction, values = self.decode_cursor(request)
        backwards = direction == "previous"
        if values is not None:
            try:
                values = self.typed_key(queryset, values)
                queryset = queryset.filter(self.after(values, backwards))
            except (DjangoValidationError, ValueError, TypeError, OverflowError):
                raise self.invalid_cursor() from None
        order = [self.flip(field) for field in self.ordering] if backwards else self.ordering
        rows = list(queryset.order_by(*order)[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        self.next_values = self.key_of(rows[-1]) if rows and (more or backwards) else None
        has_previous = values is not None and (more or not backwards)
        self.previous_values = self.key_of(rows[0]) if rows and has_previous else None
        return rows

    def ordering_from(self, request: Request, view: Any) -> list[str]:
        choices = view.keyset_orderings
        requested = request.query_params.get(self.ordering_query_param)
        if requested is None:
            return list(next(iter(choices.values())))
        if requested not in choices:
            allowed = ", ".join(choices)
            raise ValidationError({self.ordering_query_param: [f"One of: {allowed}."]})
        return list(choices[requested])

    @staticmethod
    def flip(field: str) -> str:
        return field[1:] if field.startswith("-") else f"-{field}"

    def typed_key(self, queryset: QuerySet, values: list) -> list:
        """The cursor's key as the ordering's fields' values, or ValueError: a cursor is the
        client's text, and what the database driver would choke on (an id of 1e400, a NUL
        character, a date without a time zone) must be refused here, not answered with a 500."""
        if len(values) != len(self.ordering):
            raise ValueError("cursor does not match the ordering")
        typed = []
        for field_name, value in zip(self.ordering, values, strict=True):
            name = field_name.lstrip("-")
            annotation = queryset.query.annotations.get(name)
            field = annotation.output_field if annotation else queryset.model._meta.get_field(name)
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise ValueError("a key is a string or a whole number")
            value = field.to_python(value)
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise ValueError("out of the database's range")
            if isinstance(value, str) and "\x00" in value:
                raise ValueError("NUL character")
            if isinstance(value, datetime.datetime) and value.tzinfo is None:
                raise ValueError("a moment needs its time zone")
            typed.append(value)
        return typed

    def invalid_cursor(self) -> ValidationError:
        return ValidationError(
            {self.cursor_query_param: ["Invalid cursor: use a `next` or `previous` link."]}
        )

    def key_of(self, row: Any) -> list:
        values = [getattr(row, field.lstrip("-")) for field in self.ordering]
        return [v.isoformat() if hasattr(v, "isoformat") else v for v in values]

    def after(self, values: list, backwards: bool) -> Q:
        """Rows strictly after the key `values` in the ordering (before it, backwards)."""
        if len(values) != len(self.ordering):
            raise ValueError("cursor does not match the ordering")
        condition = Q()
        for i in reversed(range(len(self.ordering))):
            field = self.ordering[i]
            descending = field.startswith("-") != backwards
            name = field.lstrip("-")
            step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
            equal = Q(**{f"{self.ordering[j].lstrip('-')}": values[j] for j in range(i)})
            condition = (equal & step) | condition if i else step | condition
        # The same rows, plus a bound on the first field alone: PostgreSQL can start an index
        # scan there, where the OR above alone made it walk every row before the cursor (a
        # page 100,000 rows in took 4x the first page).
        first = self.ordering[0]
        descending = first.startswith("-") != backwards
        bound = Q(**{f"{first.lstrip('-')}__{'lte' if descending else 'gte'}": values[0]})
        return bound & condition

    def decode_cursor(self, request: Request) -> tuple[str | None, list | None]:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None, None
        try:
            data = json.loads(
                base64.urlsafe_b64decode(encoded.encode("ascii")),
                parse_constant=_refuse_constant,  # NaN, Infinity, -Infinity
                parse_float=_finite_float,  # 1e400 would be infinity
            )
            direction, values = data["d"], data["v"]
            if direction not in ("next", "previous") or not isinstance(values, list):
                raise ValueError
        except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError, RecursionError):
            raise self.invalid_cursor() from None
        return direction, values

    def link(self, direction: str, values: list | None) -> str | None:
        if values is None:
            return None
        token = json.dumps({"d": direction, "v": values}, separators=(",", ":"))
        encoded = base64.urlsafe_b64encode(token.encode()).decode()
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, encoded)

    def get_next_link(self) -> str | None:
        return self.link("next", self.next_values)

    def get_previous_link(self) -> str | None:
        return self.link("previous", self.previous_values)

    def get_paginated_response(self, data: list) -> Response:
        return Response(
            OrderedDict(
                [
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": {**schema, "description": "This page's results."},
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a `next` or `previous` link."
                + not_with_csv(view),
                "schema": {"type": "string", "minLength": 1, "pattern": "^[A-Za-z0-9_-]+=*$"},
            },
            page_size_parameter(view),
            {
                "name": self.ordering_query_param,
                "in": "query",
                "required": False,
                "description": "Sort order; a leading minus sorts newest first.",
                "schema": {"type": "string", "enum": list(view.keyset_orderings)},
            },
        ]


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a key")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, whose bad values answer 400 naming the parameter. (Unknown parameters
    are refused by PublicViewSet, which knows all of a view's parameters.)"""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        known = set(filterset_class.base_filters) if filterset_class else set()
        # Filters narrow lists. Building the filter form costs some 5 ms, so it is only built
        # when a list is asked to be filtered.
        if getattr(view, "action", "list") != "list" or not known & set(request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictSearchFilter(filters.SearchFilter):
    """DRF's search, whose refusal of a NUL character names the parameter like every other
    400 of the API (DRF answers a bare list)."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        self.search_text(request)
        return super().filter_queryset(request, queryset, view)

    def search_text(self, request: Request) -> str:
        text = request.query_params.get(self.search_param, "")
        if "\x00" in text:
            raise ValidationError({self.search_param: ["Null characters are not allowed."]})
        return text


class StrictOrderingFilter(filters.OrderingFilter):
    """Ordering that answers 400 for a field it does not offer, instead of ignoring it."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: Any) -> list[str]:
        raw = request.query_params.get(self.ordering_param)
        if raw is not None:
            terms = [term.strip() for term in raw.split(",") if term.strip()]
            valid = {
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            }
            wrong = [term for term in terms if term.lstrip("-") not in valid]
            if wrong or not terms:
                allowed = ", ".join(sorted(valid))
                raise ValidationError({self.ordering_param: [f"Order by one of: {allowed}."]})
        return super().get_ordering(request, queryset, view)

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        """Empty values last, either way: PostgreSQL and SQLite disagree on where they go."""
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return queryset.order_by(
            *(
                F(term[1:]).desc(nulls_last=True)
                if term.startswith("-")
                else F(term).asc(nulls_last=True)
                for term in ordering
            )
        )

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        fields = getattr(view, "ordering_fields", None)
        if fields is None or fields == "__all__":  # ours are listed: enumerable
            return super().get_schema_operation_parameters(view)
        terms = [term for name in fields for term in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "in": "query",
                "required": False,
                "description": "Sort order: one or more of these, comma-separated, the first "
                "deciding most; a leading minus reverses.",
                "schema": {"type": "array", "items": {"type": "string", "enum": terms}},
                "style": "form",
                "explode": False,
            }
        ]


class GeoJSONRenderer(JSONRenderer):
    """RFC 7946 GeoJSON for anything serialized with `latitude`/`longitude`: a list page becomes
    a FeatureCollection (with `count`, `next`, `previous` as foreign members), one object a
    Feature, longitude first. Error bodies pass through as plain JSON."""

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            extra = {key: value for key, value in data.items() if key != "results"}
            data = {
                "type": "FeatureCollection",
                "features": [self.feature(item) for item in data["results"]],
                **extra,
            }
        elif isinstance(data, dict) and "latitude" in data:
            data = self.feature(data)
        return super().render(data, accepted_media_type, renderer_context)

    @staticmethod
    def feature(item: dict) -> dict:
        properties = {k: v for k, v in item.items() if k not in ("latitude", "longitude")}
        latitude, longitude = item.get("latitude"), item.get("longitude")
        geometry = None
        if latitude is not None and longitude is not None:
            geometry = {"type": "Point", "coordinates": [longitude, latitude]}
        return {
            "type": "Feature",
            "id": item.get("key"),
            "geometry": geometry,
            "properties": properties,
        }


class CSVRenderer(renderers.BaseRenderer):
    """Declares `?format=csv`. Lists stream their rows themselves (a StreamingHttpResponse);
    errors are answered in JSON (see PublicViewSet.handle_exception)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        buffer = io.StringIO()
        if rows and isinstance(rows[0], dict):
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
        return buffer.getvalue()


def spreadsheet_safe(value: Any) -> Any:
    """Neutralise cells a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@extend_schema_field(OpenApiTypes.URI)
class ApiLinkField(serializers.Field):
    """The absolute URL of an object in the API. Unlike DRF's hyperlinked fields it never
    carries the request's `?format=`, so a link is the same in JSON, GeoJSON and CSV."""

    def __init__(self, view_name: str, key_attribute: str = "pk", **kwargs: Any) -> None:
        self.view_name = view_name
        self.key_attribute = key_attribute
        kwargs.setdefault("help_text", "This object in the API.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj: Any) -> str:
        return api_link(self.context["request"], self.view_name, getattr(obj, self.key_attribute))


def api_link(request: Request, view_name: str, key: Any) -> str:
    """The absolute URL of `view_name` for `key`. reverse() costs about 0.1 ms (a page of 100
    reports has 430 links, half the page's time), so each view's URL is reversed once per
    request and the others made from it: what comes before and after the key."""
    templates = request.__dict__.setdefault("_api_link_templates", {})
    key = str(key)
    if view_name not in templates:
        path = reverse(view_name, args=[key])
        at = path.rfind(key)
        templates[view_name] = (
            (request.build_absolute_uri(path[:at]), path[at + len(key) :]) if at > 0 else None
        )
    template = templates[view_name]
    if template is None or not _PLAIN_KEY.fullmatch(key):  # reverse() would quote something
        return request.build_absolute_uri(reverse(view_name, args=[key]))
    return f"{template[0]}{key}{template[1]}"


def iso_date(day: datetime.date | None) -> str | None:
    """A date as DRF's DateField shows it."""
    return None if day is None else day.isoformat()


def iso_datetime(moment: datetime.datetime | None, zone: datetime.tzinfo) -> str | None:
    """A moment as DRF's DateTimeField shows it: in the current time zone (`zone`, which the
    caller looks up once: the lookup costs more than the rest), UTC written Z."""
    if moment is None:
        return None
    text = moment.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_PLAIN_KEY = re.compile(r"[-\w/]+", re.ASCII)


PARAMETER_ERRORS = {
    "type": "object",
    "description": "Each invalid parameter, with what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
DETAIL = inline_serializer(
    "Detail", {"detail": serializers.CharField(help_text="What went wrong, in a sentence.")}
)


GEOJSON_FEATURE = {
    "type": "object",
    "description": "An RFC 7946 Feature: the object's fields are its properties.",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string", "nullable": True},
        "geometry": {
            "type": "object",
            "nullable": True,
            "description": "A Point, longitude first; null when the place has no coordinates.",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"type": "string", "enum": ["Point"]},
                "coordinates": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 2,
                    "maxItems": 2,
                },
            },
        },
        "properties": {"type": "object"},
    },
}
GEOJSON_FEATURE_COLLECTION = {
    "type": "object",
    "description": "An RFC 7946 FeatureCollection of this page, with paging links.",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": GEOJSON_FEATURE},
        "count": {"type": "integer"},
        "next": {"type": "string", "nullable": True},
        "previous": {"type": "string", "nullable": True},
    },
}
CSV_TABLE = {"type": "string", "description": "Every matching row, as CSV with a header line."}
BROWSABLE_API_FORMAT = renderers.BrowsableAPIRenderer.format
BROWSABLE_PAGE = {"type": "string", "description": "The browsable API: this answer as a page."}


class PublicAutoSchema(AutoSchema):
    """Documents what drf-spectacular leaves out: the error answers of every operation, the
    `format` parameter, and the path key (each viewset gives its `lookup_description`)."""

    def get_response_serializers(self) -> dict:
        responses = {
            "200": super().get_response_serializers(),
            "400": OpenApiResponse(
                PARAMETER_ERRORS,
                "A query parameter is unknown, empty where it may not be, or invalid (also: "
                "cursor or page_size with format=csv); the body names it.",
            ),
            "406": OpenApiResponse(
                DETAIL, "The Accept header names no format this address offers (see format)."
            ),
            "429": OpenApiResponse(DETAIL, "Too many requests: wait as Retry-After says."),
        }
        if "{" in self.path:
            responses["404"] = OpenApiResponse(DETAIL, "Nothing published at this address.")
            responses.update(getattr(self.view, "extra_detail_responses", {}))
        else:
            responses["404"] = OpenApiResponse(DETAIL, "No such page.")
        return responses

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        # drf-spectacular gives every renderer the JSON schema; GeoJSON and CSV differ, the
        # browsable API is left out, and errors are JSON whatever was asked for.
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content", {})
        if status_code != "200":
            for media_type in list(content):
                if media_type != JSONRenderer.media_type:
                    del content[media_type]
            return response
        if GeoJSONRenderer.media_type in content:
            shape = GEOJSON_FEATURE if "{" in self.path else GEOJSON_FEATURE_COLLECTION
            content[GeoJSONRenderer.media_type] = {"schema": shape}
        if CSVRenderer.media_type in content:
            content[CSVRenderer.media_type] = {"schema": CSV_TABLE}
        if content and BROWSABLE_API_FORMAT in self.offered_formats():
            content[renderers.BrowsableAPIRenderer.media_type] = {"schema": BROWSABLE_PAGE}
        return response

    def offered_formats(self) -> list[str]:
        """The values of `format` the view accepts (StrictRequestMixin refuses the others)."""
        return list(dict.fromkeys(renderer.format for renderer in self.view.get_renderers()))

    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        parameters.append(
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=self.offered_formats(),
                description="Response format, instead of the Accept header: json (the "
                "default), api (the browsable API, an HTML page for people), or geojson or "
                "csv where offered. Any other value, or an empty one, answers 400.",
            )
        )
        lookup = self.view.lookup_url_kwarg or self.view.lookup_field
        lookup = "id" if lookup == "pk" else lookup  # drf-spectacular's name for primary keys
        if "{" + lookup + "}" in self.path:
            numeric = getattr(self.view, "lookup_value_regex", "") == "[0-9]+"
            parameters.append(
                OpenApiParameter(
                    lookup,
                    OpenApiTypes.INT if numeric else OpenApiTypes.STR,
                    OpenApiParameter.PATH,
                    description=self.view.lookup_description,
                )
            )
        return parameters


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    """DRF's, except that an empty Accept header means any format, as an absent one does
    (RFC 9110, 12.5.1), rather than none (a 406)."""

    def get_accept_list(self, request: Request) -> list[str]:
        return [token for token in super().get_accept_list(request) if token] or ["*/*"]


class StrictRequestMixin:
    """What every view of the public API does besides its own answer (the API root, the schema
    and its docs page included): a format it does not offer, or a query parameter it does not
    read, answers 400 naming the parameter (a misspelt filter must not silently return
    everything); errors are JSON whatever format was asked for; a 200 may be cached publicly
    for settings.API_CACHE_MAX_AGE seconds and carries an ETag, to HEAD and OPTIONS as to
    GET."""

    # Throttled as one, at settings.API_THROTTLE_RATE (DRF's default throttle would read the
    # rate once, at start-up).
    throttle_classes = [PublicRateThrottle]
    content_negotiation_class = ContentNegotiation
    format_error: ValidationError | None = None

    def query_parameters(self) -> set[str]:
        """The query parameters this view reads."""
        return {"format"}

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple:
        requested = request.query_params.get("format")
        if requested is not None and not force:
            offered = list(dict.fromkeys(renderer.format for renderer in self.get_renderers()))
            if requested not in offered:
                # Refused once permissions are checked (a write is a 405 whatever its format).
                self.format_error = ValidationError({"format": [f"One of: {', '.join(offered)}."]})
                return super().perform_content_negotiation(request, force=True)
        return super().perform_content_negotiation(request, force)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # negotiation, permissions, throttling
        if not hasattr(self, request.method.lower()):
            raise MethodNotAllowed(request.method)  # before what the parameters may say
        known = self.query_parameters()
        unknown = sorted(set(request.query_params) - known)
        errors = dict(self.format_error.detail) if self.format_error else {}
        if unknown:
            message = f"Unknown parameter. Known parameters: {', '.join(sorted(known))}."
            errors.update({name: [message] for name in unknown})
        if errors:
            raise ValidationError(errors)

    def handle_exception(self, exc: Exception) -> Response:
        # An error is plain JSON, whatever was asked for (CSV, GeoJSON, YAML, the docs page,
        # the browsable API), or when nothing the view offers was acceptable (a 406): the
        # renderer DRF would fall back on there is the view's first, YAML for the schema.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: HttpResponse, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # OPTIONS too: its description of the view changes no more often than a release.
        if request.method in ("GET", "HEAD", "OPTIONS") and response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
            if response.status_code == 200 and not response.streaming:
                if isinstance(response, Response):
                    response.render()
                if not response.has_header("ETag"):
                    set_response_etag(response)  # ConditionalGetMiddleware skips HEAD
        return response


class PublicViewSet(StrictRequestMixin, viewsets.ReadOnlyModelViewSet):
    """Base of every public endpoint: read-only, throttled, strict about its parameters (each
    view accepts only what it reads: a detail only `format`), and cacheable."""

    permission_classes = [ReadOnly]
    schema = PublicAutoSchema()
    lookup_description = "The object's number."
    # The 404 of a detail, in a sentence for people (Django's names the model class).
    missing_detail = "Nothing published has this address."
    filter_backends = [StrictFilterBackend, StrictSearchFilter]

    def query_parameters(self) -> set[str]:
        """`format`; on a list, also its filters, search, ordering and paging parameters: what
        the OpenAPI document lists for it (tests/heritage/test_api_sweep.py holds them
        together)."""
        names = super().query_parameters()
        if self.detail:
            return names
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            names |= set(filterset_class.base_filters)
        for backend in self.filter_backends:
            if issubclass(backend, filters.SearchFilter):
                names.add(backend.search_param)
            if issubclass(backend, filters.OrderingFilter):
                names.add(backend.ordering_param)
        if self.paginator is not None:
            names |= set(self.paginator.query_parameters)
        return names

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Http404):
            exc = NotFound(self.missing_detail)
        return super().handle_exception(exc)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.response_cache_key = response_cache_key(request)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return cached_response(self.response_cache_key) or super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return cached_response(self.response_cache_key) or super().retrieve(
            request, *args, **kwargs
        )

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and isinstance(response, Response)
            and getattr(self, "response_cache_key", None)
        ):
            cache_response(self.response_cache_key, response)
        return response

    def streamed_etag(self, request: Request) -> str:
        """The ETag of an answer streamed without being kept whole (CSV): from the public data
        version and the whole URL, format included, as the kept answers are filed. Weak: the
        same data, not necessarily the same bytes after a new release. Runs a query."""
        version = import_string(settings.API_DATA_VERSION)()
        url = request.build_absolute_uri()
        renderer = request.accepted_renderer.format
        digest = hashlib.sha256(f"{version} {renderer} {url}".encode()).hexdigest()
        return f'W/"{digest[:32]}"'

    def conditional_answer(self, request: Request, etag: str) -> HttpResponse | None:
        """304 when the client already holds the answer under `etag` (If-None-Match), 412
        when it asked for another (If-Match); None when the answer is to be sent."""
        answer = get_conditional_response(request, etag=etag)
        if answer is not None:
            answer["ETag"] = etag
        return answer


# Answers kept in the "api" cache (see settings.CACHES): JSON and GeoJSON, not CSV streams
# nor the browsable API's pages.
CACHED_FORMATS = {"json", "geojson"}
CACHED_HEADERS = ["Content-Type", "ETag"]


def response_cache_key(request: Request) -> str | None:
    """Where an answer to this request is kept: under the version of the public data
    (settings.API_DATA_VERSION, read from the database on every request so that every process
    sees a publication at once), the format, what of the Accept header changes the bytes (an
    `indent`), and the whole URL, host included (links in the answer are absolute)."""
    renderer = getattr(request, "accepted_renderer", None)
    if request.method not in ("GET", "HEAD") or renderer is None:
        return None
    if renderer.format not in CACHED_FORMATS:
        return None
    indent = renderer.get_indent(request.accepted_media_type, {})
    version = import_string(settings.API_DATA_VERSION)()
    url = request.build_absolute_uri()
    digest = hashlib.sha256(f"{version} {renderer.format} {indent} {url}".encode()).hexdigest()
    return f"api-answer:{digest}"


def cached_response(key: str | None) -> HttpResponse | None:
    if key is None:
        return None
    kept = caches["api"].get(key)
    if kept is None:
        return None
    content, headers = kept
    return HttpResponse(content, headers=headers)


def cache_response(key: str, response: Response) -> None:
    """Keep a rendered answer, with the ETag StrictRequestMixin gave it."""
    headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
    caches["api"].set(key, (response.content, headers))


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, yes/no); anything else is an error rather than "no filter"."""

    def clean(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise forms.ValidationError("Use true or false.")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField
