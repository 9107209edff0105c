"""Dates and moments as the public API writes them (as DRF's fields would)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone


def iso_date(day: datetime.date | str | None) -> str | None:
    """A date as DRF's DateField shows it (a date the database gave as ISO text already, as
    is)."""
    return day.isoformat() if isinstance(day, datetime.date) else day


def iso_datetime(moment: datetime.datetime | None, zone: datetime.tzinfo) -> str | None:
    """A moment as DRF's DateTimeField shows it: in the current time zone (`zone`, which the
    caller looks up once: the lookup costs more than the rest), UTC written Z."""
    if moment is None:
        return None
    text = moment.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def request_time_zone(request: Any) -> datetime.tzinfo:
    """The current time zone, looked up once per request (for iso_datetime)."""
    zone = request.__dict__.get("_api_time_zone")
    if zone is None:
        zone = request.__dict__["_api_time_zone"] = timezone.get_current_timezone()
    return zone
