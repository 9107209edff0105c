"""Filters of the public API's lists, strict about their values: a bad value answers 400
naming the parameter, never "no filter"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, whose bad values answer 400 naming the parameter. (Unknown parameters
    are refused by PublicViewSet, which knows all of a view's parameters.)"""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
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

    def get_ordering(
        self, request: Request, queryset: QuerySet, view: Any
    ) -> Sequence[str] | None:
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
        raise forms.ValidationError(_("Use true or false."))


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField
