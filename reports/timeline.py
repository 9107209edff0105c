"""Condition timelines drawn on the server: one row per monument (or the site as a whole), each
published report a mark on a shared time axis, coloured by its extent. A date known to the
month or year, or a range, is drawn as the span it stands for (occurred_on to occurred_latest),
never as a day; a day is a narrow mark. The page shows the same data as a table beside it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reports.vocabularies import Extent

# Extent -> fill colour: a sequential scale from intact to destroyed (ColorBrewer YlOrRd, with
# green for no damage and grey for unknown), each with a text label beside it in the legend.
EXTENT_COLOURS: dict[str, str] = {
    Extent.NONE: "#1a9850",
    Extent.MINOR: "#fed976",
    Extent.MODERATE: "#fd8d3c",
    Extent.SEVERE: "#e31a1c",
    Extent.DESTROYED: "#800026",
    Extent.UNKNOWN: "#969696",
}

WIDTH = 760
ROW_HEIGHT = 38  # the row's name above, its marks below
AXIS_HEIGHT = 24
MIN_MARK = 4  # a day, at the scale of years, would be invisible


@dataclass
class Mark:
    start: datetime.date
    end: datetime.date
    extent: str
    label: str
    url: str


@dataclass
class Row:
    name: str
    url: str
    marks: list[Mark] = field(default_factory=list)


def timeline_svg(rows: list[Row], *, title: str) -> SafeString:
    """The timeline of `rows` as inline SVG (empty when no row has a mark)."""
    marks = [mark for row in rows for mark in row.marks]
    if not marks:
        return SafeString("")
    first = min(mark.start for mark in marks)
    last = max(mark.end for mark in marks)
    start = datetime.date(first.year, 1, 1)
    end = datetime.date(last.year + 1, 1, 1)
    days = (end - start).days

    def x(day: datetime.date) -> float:
        return round((day - start).days / days * WIDTH, 1)

    height = AXIS_HEIGHT + ROW_HEIGHT * len(rows)
    # Plain strings, every text escaped: format_html per mark took longer than the rest of a
    # large site's page.
    parts = []
    years = range(start.year, end.year + 1)
    step = max(1, len(years) // 10)
    for year in years[::step]:
        at = x(datetime.date(year, 1, 1))
        parts.append(
            f'<line x1="{at}" x2="{at}" y1="{AXIS_HEIGHT - 6}" y2="{height}" class="tick"/>'
            f'<text x="{at + 2}" y="14" class="year">{year}</text>'
        )
    for index, row in enumerate(rows):
        top = AXIS_HEIGHT + index * ROW_HEIGHT
        parts.append(
            f'<text x="2" y="{top + 13}" class="name">{escape(row.name)}</text>'
            f'<line x1="0" x2="{WIDTH}" y1="{top + 27}" y2="{top + 27}" class="row"/>'
        )
        for mark in row.marks:
            left = x(mark.start)
            # The span's last day counts: a month is drawn to the start of the next.
            width = round(max(MIN_MARK, x(mark.end + datetime.timedelta(days=1)) - left), 1)
            colour = EXTENT_COLOURS.get(mark.extent, EXTENT_COLOURS[Extent.UNKNOWN])
            said = escape(f"{row.name}: {mark.label}")
            parts.append(
                f'<a href="{escape(mark.url)}" aria-label="{said}"><rect x="{left}" '
                f'y="{top + 19}" width="{width}" height="16" rx="2" fill="{colour}" '
                f'class="mark"><title>{said}</title></rect></a>'
            )
    said = escape(title)
    return mark_safe(  # noqa: S308 (every text above is escaped)
        f'<svg class="timeline" viewBox="0 -2 {WIDTH} {height + 4}" width="100%" role="group" '
        f'aria-label="{said}" dir="ltr" preserveAspectRatio="xMinYMin meet">'
        f"<title>{said}</title>{''.join(parts)}</svg>"
    )


def legend() -> list[tuple[str, str]]:
    """(colour, label) for every extent, in order of severity."""
    return [(EXTENT_COLOURS[extent], str(label)) for extent, label in Extent.choices]


def timeline_title(name: str) -> str:
    return _("Condition timeline of %(name)s") % {"name": name}
