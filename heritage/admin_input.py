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
    """A date hierarchy whose year, month and day come from the address: Django's own turns
    "the year 9999" into the range up to 10000 and fails (a 500); here a date that cannot be is
    the admin's usual "bad filter" redirect."""

    def get_changelist_instance(self, request: HttpRequest):
        if self.date_hierarchy:
            prefix = f"{self.date_hierarchy}__"
            parts = {
                key[len(prefix) :]: value
                for key, value in request.GET.items()
                if key.startswith(prefix)
            }
            year = parts.get("year")
            if year is not None and (year_param(year) or datetime.MAXYEAR) >= datetime.MAXYEAR:
                raise IncorrectLookupParameters("Choose a year from the list.")
        return super().get_changelist_instance(request)
