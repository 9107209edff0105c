"""A report's event date: a start, an optional end, each with a precision (day, month, year)
and whether the source gives it as approximate ("around 20 June 2015"); the span of days it may
stand for; and the same date in the Library of Congress Extended Date/Time Format (EDTF,
https://www.loc.gov/standards/datetime/): `2015-05`, `2016-12-26/2017-01-10`, `2015~`.

One conversion each way (EventDate.edtf and parse_edtf), tested to round-trip. The `edtf`
package parses (it knows the grammar: levels 0 and 1, seasons, unspecified digits); the span is
ours, because the package's fuzzy bounds pad an approximate day by a year, a month and a day,
and its open intervals raise TypeError (edtf 5.0.2)."""

from __future__ import annotations

import calendar
import datetime
from typing import NamedTuple

import edtf
from edtf.parser.parser_classes import EDTFObject

from reports.vocabularies import DatePrecision

EDTF_HELP = (
    "An EDTF date: 2015-05-30 (a day), 2015-05 (a month), 2015 (a year), 2015-06-20~ "
    "(approximate), 2016-12-26/2017-01-10 (a period)."
)


class EdtfError(ValueError):
    """Text that is not an EDTF date we can record; the message says why, for curators and
    API clients."""


def truncate(day: datetime.date, precision: str) -> datetime.date:
    """The first day of the month or year, for a month- or year-precision date."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


def period_end(day: datetime.date, precision: str) -> datetime.date:
    """The last day a month- or year-precision date may stand for."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def shifted(day: datetime.date, precision: str, units: int) -> datetime.date:
    """The first day of the day, month or year `units` away from `day`'s (truncated) one. An
    approximate date may be one unit of its precision either way (EDTF's own padding for a
    date of that precision alone): "2015-06~" is May to July 2015."""
    day = truncate(day, precision)
    try:
        if precision == DatePrecision.YEAR:
            return day.replace(year=day.year + units)
        if precision == DatePrecision.MONTH:
            months = day.year * 12 + day.month - 1 + units
            return day.replace(year=months // 12, month=months % 12 + 1)
        return day + datetime.timedelta(days=units)
    except (ValueError, OverflowError):  # around year 1 or 9999: as far as dates go
        return datetime.date.min if units < 0 else datetime.date.max


def _edtf_day(day: datetime.date, precision: str, approximate: bool) -> str:
    if precision == DatePrecision.YEAR:
        text = f"{day.year:04d}"
    elif precision == DatePrecision.MONTH:
        text = f"{day.year:04d}-{day.month:02d}"
    else:
        text = day.isoformat()
    return text + ("~" if approximate else "")


class EventDate(NamedTuple):
    """When something happened, as a report records it."""

    on: datetime.date
    on_precision: str = DatePrecision.DAY
    on_approximate: bool = False
    until: datetime.date | None = None
    until_precision: str = ""
    until_approximate: bool = False

    @property
    def edtf(self) -> str:
        """The date in EDTF: "2015-05", "2015-06-20~", "2016-12-26/2017-01-10"."""
        start = _edtf_day(self.on, self.on_precision, self.on_approximate)
        if self.until is None:
            return start
        end_precision = self.until_precision or self.on_precision
        return f"{start}/{_edtf_day(self.until, end_precision, self.until_approximate)}"

    def span(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day it may have happened on: the period at its precision,
        widened by a unit of precision at an approximate end."""
        earliest = shifted(self.on, self.on_precision, -1 if self.on_approximate else 0)
        if self.until is None:
            end, precision, approximate = self.on, self.on_precision, self.on_approximate
        else:
            end = self.until
            precision = self.until_precision or self.on_precision
            approximate = self.until_approximate
        latest = period_end(shifted(end, precision, 1 if approximate else 0), precision)
        return earliest, latest


class _End(NamedTuple):
    """One end of an EDTF date: its first and last day and whether it is approximate."""

    first: datetime.date
    last: datetime.date
    approximate: bool

    def precision(self) -> str:
        """Day, month or year; for a season or a decade (201X), the precision of the period
        of months or years it stands for."""
        if self.first == self.last:
            return DatePrecision.DAY
        month = self.first == truncate(self.first, DatePrecision.MONTH)
        if self.first.year == self.last.year and month:
            whole_year = (self.first.month, self.last.month) == (1, 12)
            one_month = self.first.month == self.last.month
            if not whole_year or one_month:
                return DatePrecision.MONTH
        return DatePrecision.YEAR if month else DatePrecision.DAY

    def is_one_date(self) -> bool:
        return self.last == period_end(self.first, self.precision())


def _end_of(part: EDTFObject, text: str) -> _End:
    approximate = False
    if isinstance(part, edtf.UncertainOrApproximate):
        if part._is_uncertain or part._uncertain_and_approximate:
            raise EdtfError(
                f"{text}: an uncertain date (marked with a question mark or a percent sign) is "
                "not recorded as such: how sure the source is goes in the report's certainty. "
                "Give the date without the mark, or with ~ if it is approximate."
            )
        approximate = bool(part._is_approximate)
        part = part.date
    if type(part) not in (edtf.Date, edtf.Unspecified, edtf.Season):
        raise EdtfError(f"{text}: give a day, a month, a year or a period between two of them.")
    try:
        first = datetime.date(*part.lower_strict()[:3])
        last = datetime.date(*part.upper_strict()[:3])
    except (TypeError, ValueError) as error:
        raise EdtfError(f"{text}: not a date of the common era.") from error
    return _End(first, last, approximate)


def parse_edtf(text: str) -> EventDate:
    """The event date an EDTF string gives, or EdtfError saying why it cannot be recorded.
    Open or unknown ends (`2015/..`, `/2016`) are refused: a report's date has a start. A
    season or a decade is recorded as the period of months or years it stands for."""
    text = text.strip()
    if not text:
        raise EdtfError("Give an EDTF date. " + EDTF_HELP)
    if len(text) > 64:
        raise EdtfError("Too long for an EDTF date. " + EDTF_HELP)
    try:
        parsed = edtf.parse_edtf(text)
    except Exception as error:  # the parser raises its own and pyparsing's errors
        raise EdtfError(f"{text}: not an EDTF date. {EDTF_HELP}") from error
    if isinstance(parsed, edtf.Interval | edtf.Level1Interval):
        texts = text.split("/")
        if len(texts) != 2 or any(end.strip() in ("", "..") for end in texts):
            raise EdtfError(f"{text}: a period needs a known start and end.")
        start, end = _end_of(parsed.lower, texts[0]), _end_of(parsed.upper, texts[1])
    else:
        start = end = _end_of(parsed, text)
    if end.last < start.first:
        raise EdtfError(f"{text}: the end of the period is before its start.")
    on_precision, until_precision = start.precision(), end.precision()
    if start is end and start.is_one_date():
        return EventDate(start.first, on_precision, start.approximate)
    return EventDate(
        start.first,
        on_precision,
        start.approximate,
        truncate(end.last, until_precision),
        until_precision,
        end.approximate,
    )


def parse_edtf_span(text: str) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last day of an EDTF date or interval, for a search: either end of an
    interval may be open (`2015-05/..`, `../2016`, or empty), as None."""
    text = text.strip()
    if "/" in text:
        start, _, end = text.partition("/")
        open_start, open_end = start.strip() in ("", ".."), end.strip() in ("", "..")
        if open_start and open_end:
            raise EdtfError(f"{text}: give at least one end of the interval.")
        first = None if open_start else parse_edtf(start).span()[0]
        last = None if open_end else parse_edtf(end).span()[1]
        if first is not None and last is not None and last < first:
            raise EdtfError(f"{text}: the end of the interval is before its start.")
        return first, last
    return parse_edtf(text).span()
