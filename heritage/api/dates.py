"""Dates and moments as the public API writes them (as DRF's fields would)."""

from __future__ import annotations

import datetime


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
