"""What curators (or anyone) type into an admin address, checked before it reaches the
database: a record's number, a year. `str.isdigit()` is not enough: it accepts "²", which
int() refuses, and twenty digits, which no database column holds."""

import datetime
import re
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import IGNORED_PARAMS
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest

# The largest value of a 64-bit signed integer column (PostgreSQL bigint, SQLite INTEGER).
LARGEST_KEY = 2**63 - 1


def int_param(value: str | None) -> int | None:
    """`value` as a record's number (ASCII digits, within a database integer), or None."""
    if value and value.isascii() and value.isdigit() and not _beyond_an_integer(value):
        return int(value)
    return None


def _beyond_an_integer(digits: str) -> bool:
    # Length first: int() itself refuses more than 4,300 digits.
    digits = digits.lstrip("0") or "0"
    return len(digits) > len(str(LARGEST_KEY)) or int(digits) > LARGEST_KEY


def year_param(value: str | None) -> int | None:
    """`value` as a year a date can be in (1 to 9999), or None."""
    year = int_param(value)
    return year if year is not None and datetime.MINYEAR <= year <= datetime.MAXYEAR else None


_WHOLE_NUMBER = re.compile(r"\s*[-+]?([0-9]+)\s*")


class CheckedAddressAdmin(admin.ModelAdmin):
    """Filters typed into a changelist's address, checked before they reach the database; one
    that cannot be is the admin's usual "bad filter" redirect, not a 500:
    - years, in a date hierarchy (`published_on__year=`) or any filter on a date's year
      (`occurred_on__year__gte=`): Django's own date hierarchy also turns "the year 9999" into
      the range up to 10000 and fails, so it stops at 9998;
    - whole numbers on a number or a record's key, in any lookup (`id__in=`, `report=`,
      `unesco_id__gte=`): beyond a 64-bit integer SQLite cannot bind them at all."""

    def get_changelist_instance(self, request: HttpRequest):
        self.check_year_parameters(request)
        self.check_number_parameters(request)
        return super().get_changelist_instance(request)

    def response_action(
        self, request: HttpRequest, queryset: Any, *args: Any, **kwargs: Any
    ) -> Any:
        """An action on records chosen by number: a chosen "number" no record can have (typed
        into a forged form: `abc`, `1.5`, 20 digits) is refused with a message, not a 500."""
        chosen = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(int_param(value) is None for value in chosen):
            self.message_user(request, "Choose the records from the list.", messages.ERROR)
            return None  # the admin then shows the list again
        return super().response_action(request, queryset, *args, **kwargs)

    def check_number_parameters(self, request: HttpRequest) -> None:
        """Raise IncorrectLookupParameters for a number no integer column can hold."""
        for key, values in request.GET.lists():
            if key in IGNORED_PARAMS or not _is_integer_lookup(self.model, key):
                continue
            parts = (part for value in values for part in value.split(","))
            matches = (_WHOLE_NUMBER.fullmatch(part) for part in parts)
            if any(match and _beyond_an_integer(match.group(1)) for match in matches):
                raise IncorrectLookupParameters("No record has so large a number.")

    def check_year_parameters(self, request: HttpRequest) -> None:
        """Raise IncorrectLookupParameters for a year in the address no date can be in."""
        for key in request.GET:
            if "__year" not in key:
                continue
            year = year_param(request.GET.get(key))
            hierarchy = self.date_hierarchy and key == f"{self.date_hierarchy}__year"
            if year is None or (hierarchy and year >= datetime.MAXYEAR):
                raise IncorrectLookupParameters("Choose a year from the list.")


def _is_integer_lookup(model: type[models.Model], key: str) -> bool:
    """Whether the address's filter `key` (`report__site__id__in`) compares an integer column:
    a number, a key, or a relation (by its key)."""
    opts = model._meta
    field: models.Field | None = None
    for part in key.split("__"):
        try:
            found = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            break  # a lookup (in, gte, exact…), or a name Django will refuse itself
        if not isinstance(found, models.Field):
            return False  # a reverse relation: Django's own checks apply
        field = found
        if field.is_relation and field.related_model is not None:
            opts = field.related_model._meta
    if field is not None and field.is_relation:
        field = getattr(field, "target_field", None)
    return isinstance(field, models.IntegerField | models.AutoField)
