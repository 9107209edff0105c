"""Dates in an article's sentences, resolved against the article's own date with their
precision: "30 August 2015" (day), "in May 2015" and "last month" (month), "in 2015" (year),
"between 26 December 2016 and 10 January 2017" (a range), "on Sunday" and "two days ago" (day).

Each date keeps where it stands in its sentence, so a claim takes the date said of it and not
one that belongs to another event ("sandbagged since 2012", "built in 1229")."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from reports.vocabularies import DatePrecision

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|"
_MONTH += r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"((?:1[89]|20)\d\d)"
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": 3,
    "a few": 3, "few": 3,
}  # fmt: skip
_COUNT = (
    r"(\d{1,3}|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several)"
)
# Words before a date that make it the date of something else than damage.
_OTHER_EVENT = re.compile(
    r"\b(?:built|constructed|founded|erected|inscribed|dating|dates|dated|completed|"
    r"consecrated|listed|added|opened|excavated|discovered|restored|renovated|established|"
    r"born|designated|declared|unveiled|reopened|rebuilt|inaugurated|created|began in|"
    r"listed in|since at least)\s+(?:\w+\s+){0,2}$",
    re.I,
)


@dataclass
class When:
    start: datetime.date
    start_precision: str
    end: datetime.date | None = None
    end_precision: str = ""
    words: str = ""
    approximate: bool = False


@dataclass
class DateMention:
    start: int
    end: int
    when: When
    since: bool = False  # "since May 2015": the start of a state that lasts
    # "officials said Monday that…": when something was said, not when it happened
    of_a_statement: bool = False


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:  # "31 February 2015", a year out of range
        return None


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBERS[word]


def _months_back(base: datetime.date, months: int) -> datetime.date | None:
    total = base.year * 12 + base.month - 1 - months
    return _day(total // 12, total % 12 + 1, 1) if total >= 12 else None


def _on_or_before(base: datetime.date, month: int, day: int | None = None) -> datetime.date | None:
    """The last such month (and day) on or before the article's date."""
    year = base.year
    candidate = _day(year, month, day or 1)
    if candidate is None or candidate > base:
        candidate = _day(year - 1, month, day or 1)
    return candidate


def _weekday_before(base: datetime.date, weekday: str, strictly: bool) -> datetime.date:
    target = list(calendar.day_name).index(weekday.capitalize())
    back = (base.weekday() - target) % 7
    if back == 0 and strictly:
        back = 7
    return base - datetime.timedelta(days=back)


def _absolute(kind: str, g: tuple, base: datetime.date) -> When | None:
    """Dates written out (perhaps without their year, read as the last before the article)."""
    if kind == "dmy":
        day = _day(int(g[2]), _month(g[1]), int(g[0]))
        return When(day, DatePrecision.DAY) if day else None
    if kind == "mdy":
        day = _day(int(g[2]), _month(g[0]), int(g[1]))
        return When(day, DatePrecision.DAY) if day else None
    if kind == "my":
        day = _day(int(g[1]), _month(g[0]), 1)
        return When(day, DatePrecision.MONTH) if day else None
    if kind in ("dm", "md"):
        day_number, month_word = (g[0], g[1]) if kind == "dm" else (g[1], g[0])
        if int(day_number) > 31:
            return None
        day = _on_or_before(base, _month(month_word), int(day_number))
        return When(day, DatePrecision.DAY) if day else None
    if kind == "part-month":
        year = int(g[2]) if g[2] else None
        day = _day(year, _month(g[1]), 1) if year else _on_or_before(base, _month(g[1]))
        return When(day, DatePrecision.MONTH) if day else None
    if kind == "y":
        day = _day(int(g[0]), 1, 1)
        return When(day, DatePrecision.YEAR) if day else None
    return None


def _relative(kind: str, g: tuple, base: datetime.date) -> When | None:
    """Dates said relative to the article's: "last month" in an article of 2 July 2015 is
    June 2015."""
    day = datetime.timedelta(days=1)
    if kind == "last-named-month":
        when = _on_or_before(base - day * 28, _month(g[0]))
        return When(when, DatePrecision.MONTH) if when else None
    if kind == "weekday":
        strictly = bool(g[0]) and g[0].lower() == "last"
        return When(_weekday_before(base, g[1], strictly), DatePrecision.DAY)
    if kind == "yesterday":
        return When(base - day, DatePrecision.DAY)
    if kind == "today":
        return When(base, DatePrecision.DAY)
    if kind == "previous-period":
        unit = g[0].lower()
        if unit == "week":
            return When(base - 7 * day, DatePrecision.DAY, base, DatePrecision.DAY)
        if unit == "month":
            start = _months_back(base, 1)
            return When(start, DatePrecision.MONTH) if start else None
        start = _day(base.year - 1, 1, 1)
        return When(start, DatePrecision.YEAR) if start else None
    if kind == "this-period":
        unit = g[0].lower()
        if unit == "week":
            return When(base - 6 * day, DatePrecision.DAY, base, DatePrecision.DAY)
        if unit == "month":
            return When(base.replace(day=1), DatePrecision.MONTH)
        return When(base.replace(month=1, day=1), DatePrecision.YEAR)
    if kind == "ago":
        count, unit = _count(g[0]), g[1].lower().rstrip("s")
        if unit == "day":
            return When(base - count * day, DatePrecision.DAY, approximate=count > 2)
        if unit == "week":
            return When(base - 7 * count * day, DatePrecision.DAY, approximate=True)
        if unit == "month":
            start = _months_back(base, count)
            return When(start, DatePrecision.MONTH, approximate=True) if start else None
        start = _day(base.year - count, 1, 1)
        return When(start, DatePrecision.YEAR, approximate=True) if start else None
    return None


_SINGLE = [
    (rf"\b{_DAY} (?:of )?({_MONTH}),? {_YEAR}\b", "dmy"),
    (rf"\b({_MONTH}) {_DAY},? {_YEAR}\b", "mdy"),
    (
        rf"\b(early|mid|late|end of|beginning of|the end of|mid-)[ -]?({_MONTH}),? {_YEAR}?",
        "part-month",
    ),
    (rf"\b({_MONTH}),? {_YEAR}\b", "my"),
    (rf"\b{_DAY} (?:of )?({_MONTH})\b", "dm"),
    (rf"\b({_MONTH}) {_DAY}\b(?!,? \d)", "md"),
    (rf"\blast ({_MONTH})\b", "last-named-month"),
    (rf"\b(?:on |(last) |this )?{_WEEKDAY}\b", "weekday"),
    (
        r"\byesterday\b|\bthe previous day\b|\blast night\b|\bthe day after the (?=(?:fire|blaze|"
        r"blast|explosion|attack|earthquake|quake|strike|bombing|shelling|raid)\b)",
        "yesterday",
    ),
    # not "BBC Radio 4's Today Programme", "USA Today": names
    (
        r"(?<!USA )\btoday\b(?!\s+(?-i:Programme|Program|Show|Newspaper)\b)|\bthis morning\b"
        r"|\btonight\b"
        r"|\bovernight\b|\bearlier today\b",
        "today",
    ),
    (r"\b(?:last|past|previous) (week|month|year)\b", "previous-period"),
    (r"\b(?:earlier |later )?this (week|month|year)\b", "this-period"),
    (rf"\b{_COUNT} (days?|weeks?|months?|years?) ago\b", "ago"),
    (
        rf"\b(?:in|since|during|by|of|early|late|mid-?|until|till|summer|winter|spring|"
        rf"autumn|fall|the|since early|since late|around|in early|in late|in mid-?)\s+{_YEAR}\b"
        rf"(?!s|\s*(?:years?|-year|people|km|metres|meters))"
        # not "the 1954 Hague Convention": a name
        r"(?!\s+(?:Hague|Geneva|Convention|Protocol|Treaty|Agreement|Accords?|Constitution)\b)",
        "y",
    ),
]
_SINGLE_COMPILED = [(re.compile(p, re.I), kind) for p, kind in _SINGLE]
_RANGE = re.compile(r"\b(?:between|from)\s+(.{3,40}?)\s+(?:and|to|until|till)\s+", re.I)
# Verbs of saying around a date: the date is the statement's.
_SAYING = (
    r"said|says|say|told|tells|announced|reported|stated|added|confirmed|warned|noted|wrote|"
    r"tweeted|posted|claimed|declared|insisted|acknowledged|denied|revealed|disclosed"
)
_SAID_BEFORE = re.compile(rf"\b(?:{_SAYING})\s+(?:on\s+|late\s+|early\s+)?$", re.I)
_SAID_AFTER = re.compile(
    rf"^(?:\s+(?:night|morning|evening|afternoon))?,?\s+(?:{_SAYING})\b", re.I
)
_APPROXIMATE = re.compile(r"\b(?:around|about|approximately|roughly|circa|some)\s+$", re.I)


def dates_in(sentence: str, published_on: datetime.date) -> list[DateMention]:
    """Every date of the sentence that can be an event's, in order: none after the article's
    date, none of another kind of event ("built in 1229")."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _SINGLE_COMPILED:
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            try:
                when = (
                    _absolute(kind, match.groups(), published_on)
                    if kind in ("dmy", "mdy", "my", "dm", "md", "part-month", "y")
                    else _relative(kind, match.groups(), published_on)
                )
            except (OverflowError, ValueError, KeyError):  # before the year 1, and the like
                when = None
            taken.append((match.start(), match.end()))
            if when is None or when.start > published_on:
                continue
            before = sentence[: match.start()]
            if _OTHER_EVENT.search(before):
                continue
            if (
                when.start_precision == DatePrecision.YEAR
                and when.start.year < published_on.year - 60
            ):
                continue  # history, not news
            when.words = match.group(0).strip()
            when.approximate = when.approximate or bool(_APPROXIMATE.search(before))
            since = bool(re.search(r"\bsince\s+(?:early\s+|late\s+|mid-?)?$", before, re.I))
            statement = bool(
                _SAID_BEFORE.search(before) or _SAID_AFTER.match(sentence[match.end() :])
            )
            found.append(
                DateMention(
                    match.start(), match.end(), when, since=since, of_a_statement=statement
                )
            )
    found.sort(key=lambda d: d.start)
    return _ranges(sentence, found)


def _ranges(sentence: str, found: list[DateMention]) -> list[DateMention]:
    """ "between 26 December 2016 and 10 January 2017": one range of two dates."""
    merged: list[DateMention] = []
    i = 0
    while i < len(found):
        first = found[i]
        if i + 1 < len(found):
            second = found[i + 1]
            between = sentence[first.end : second.start]
            opener = sentence[max(0, first.start - 9) : first.start].lower()
            if re.fullmatch(r"\s*(?:and|to|until|till|-|–)\s*", between) and (
                "between" in opener or "from" in opener
            ):
                start, end = first.when, second.when
                if end.start >= start.start:
                    merged.append(
                        DateMention(
                            first.start,
                            second.end,
                            When(
                                start.start,
                                start.start_precision,
                                end.end or end.start,
                                end.end_precision or end.start_precision,
                                words=sentence[first.start : second.end],
                            ),
                        )
                    )
                    i += 2
                    continue
        merged.append(first)
        i += 1
    return merged


def resolve_date(sentence: str, published_on: datetime.date) -> When | None:
    """The first date the sentence gives, resolved against the article's date."""
    found = dates_in(sentence, published_on)
    return found[0].when if found else None
