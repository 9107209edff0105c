"""What curators (or anyone) type into an admin address, checked before it reaches the
database: a record's number, a year. `str.isdigit()` is not enough: it accepts "²", which
int() refuses, and twenty digits, which no database column holds."""

import datetime

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.http import HttpRequest

# The largest value of a 64-bit signed integer column (PostgreSQL bigint, SQLite INTEGER).
LARGEST_KEY = 2**63 - 1


def int_param(value: str | None) -> int | None:
    """`value` as a record's number (ASCII digits, within a database integer), or None."""
    if value and value.isascii() and value.isdigit() and int(value) <= LARGEST_KEY:
        return int(value)
    return None


def year_param(value: str | None) -> int | None:
    """`value` as a year a date can be in (1 to 9999), or None."""
    year = int_param(value)
    return year if year is not None and datetime.MINYEAR <= year <= datetime.MAXYEAR else None


class CheckedDateHierarchy(admin.ModelAdmin):
    """Years from the address, in a date hierarchy (`published_on__year=`) or any filter on a
    date's year (`occurred_on__year__gte=`): a year no date can be in is the admin's usual
    "bad filter" redirect, not a 500. Django's own date hierarchy also turns "the year 9999"
    into the range up to 10000 and fails, so it stops at 9998."""

    def get_changelist_instance(self, request: HttpRequest):
        self.check_year_parameters(request)
        return super().get_changelist_instance(request)

    def check_year_parameters(self, request: HttpRequest) -> None:
        """Raise IncorrectLookupParameters for a year in the address no date can be in."""
        for key in request.GET:
            if "__year" not in key:
                continue
            year = year_param(request.GET.get(key))
            hierarchy = self.date_hierarchy and key == f"{self.date_hierarchy}__year"
            if year is None or (hierarchy and year >= datetime.MAXYEAR):
                raise IncorrectLookupParameters("Choose a year from the list.")
