"""Paging of the public API's lists: page numbers (sites, monuments) and keyset cursors
(reports, sources), their strict parameters and their OpenAPI description."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import math
import re
from collections import OrderedDict
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from heritage.api.renderers import CSVRenderer

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


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

    def paginate_queryset(  # type: ignore[override]  # ours pages querysets only
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list:
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


class FeedPagination(KeysetPagination):
    """Keyset pages of a feed read by programs that come back for more (the change feed): in
    one order only, and always a `next` link, the place to ask from again once the reader has
    caught up (an empty page keeps it), never a null that would send them back to the
    start."""

    query_parameters = frozenset({KeysetPagination.cursor_query_param, "page_size"})

    def paginate_queryset(  # type: ignore[override]  # ours pages querysets only
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list:
        rows = super().paginate_queryset(queryset, request, view)
        self.previous_values = None
        if self.next_values is None:
            if rows:
                self.next_values = self.key_of(rows[-1])
            else:
                _, given = self.decode_cursor(request)
                last = queryset.order_by(*[self.flip(f) for f in self.ordering]).first()
                self.next_values = given or (self.key_of(last) if last else [0, 0])
        return rows

    def get_paginated_response(self, data: list) -> Response:
        return Response(OrderedDict([("next", self.get_next_link()), ("results", data)]))

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "description": "Where to read on from: the next page, or, once caught up, "
                    "the address to ask again later (never null).",
                },
                "results": {**schema, "description": "This page's changes, oldest first."},
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque position from a `next` link.",
                "schema": {"type": "string", "minLength": 1, "pattern": "^[A-Za-z0-9_-]+=*$"},
            },
            page_size_parameter(view),
        ]
