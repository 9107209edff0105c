"""A monument's current condition has one rule (the extent of its latest published report that
states one); the map's one-statement form of it (current_conditions) gives what the
per-monument form (monuments_with_condition) gives, on SQLite and PostgreSQL alike."""

import datetime

import pytest

from reports.models import (
    SEVERITY,
    DamageReport,
    current_conditions,
    monuments_with_condition,
    worst_conditions_by_site,
)
from reports.vocabularies import DamageType, Extent
from sites.models import Monument
from tests.factories import make_many_published_reports, make_published_report, make_report

pytestmark = pytest.mark.django_db


def test_the_map_s_conditions_are_the_monuments_conditions(demo):
    make_many_published_reports(60, monuments=12)
    bel = Monument.objects.get(slug="temple-of-bel")
    # Later but of unknown extent: does not change the condition.
    make_published_report(
        bel.site,
        monument=bel,
        occurred_on=datetime.date(2017, 3, 1),
        damage_type=DamageType.MISUSE,
        extent=Extent.UNKNOWN,
    )
    # Ending the day the demo's report's period ends, published after it: the later wins.
    make_published_report(
        bel.site, monument=bel, occurred_on=datetime.date(2016, 3, 27), extent=Extent.SEVERE
    )
    # A draft says nothing.
    make_report(bel.site, monument=bel, occurred_on=datetime.date(2016, 1, 1), extent=Extent.NONE)
    expected = {
        (m.site_id, m.pk, m.condition)
        for m in monuments_with_condition(Monument.objects.all())
        if m.condition is not None
    }
    assert set(current_conditions()) == expected
    worst: dict[int, str] = {}
    for site_id, _, condition in expected:
        if site_id not in worst or SEVERITY.index(condition) > SEVERITY.index(worst[site_id]):
            worst[site_id] = condition
    assert worst_conditions_by_site() == worst
    assert (bel.site_id, bel.pk, Extent.SEVERE) in expected
    assert DamageReport.objects.public().filter(monument=bel).count() == 4
