"""Data for API tests: published work to find, and unpublished work that must never show."""

import datetime
from decimal import Decimal

from reports.models import DamageReport
from reports.vocabularies import DamageType, Extent, Status
from tests.factories import (
    make_article,
    make_citation,
    make_monument,
    make_published_report,
    make_report,
    make_site,
)

SECRET = "UNPUBLISHED-MARKER"
PRIVATE_NOTE = "PRIVATE-CURATOR-NOTE"


def make_world() -> dict:
    """Two sites, one of them sensitive; published reports; and one report in every unpublished
    status, each carrying SECRET in its summary and quote and citing an article of its own."""
    palmyra = make_site(
        name="Site of Palmyra",
        slug="palmyra",
        unesco_id=23,
        countries=["SY"],
        year_inscribed=1980,
        in_danger_since=2013,
        latitude=Decimal("34.554167"),
        longitude=Decimal("38.266667"),
    )
    hidden = make_site(
        name="Hidden Valley",
        slug="hidden-valley",
        unesco_id=999,
        countries=["IQ"],
        year_inscribed=1990,
        latitude=Decimal("33.123456"),
        longitude=Decimal("44.987654"),
        location_is_sensitive=True,
    )
    bel = make_monument(
        palmyra,
        name="Temple of Bel",
        slug="temple-of-bel",
        kind="temple",
        latitude=Decimal("34.547500"),
        longitude=Decimal("38.274400"),
    )
    arch = make_monument(palmyra, name="Monumental Arch", slug="monumental-arch", kind="arch")
    shrine = make_monument(
        hidden,
        name="Hidden Shrine",
        slug="shrine",
        kind="shrine",
        latitude=Decimal("33.111111"),
        longitude=Decimal("44.955555"),
    )
    bel_report = make_published_report(
        monument=bel,
        occurred_on=datetime.date(2015, 8, 30),
        extent=Extent.DESTROYED,
        curator_notes=PRIVATE_NOTE,
    )
    arch_report = make_published_report(
        monument=arch,
        occurred_on=datetime.date(2015, 10, 4),
        extent=Extent.DESTROYED,
        damage_type=DamageType.EXPLOSIVES,
    )
    shrine_report = make_published_report(
        monument=shrine,
        occurred_on=datetime.date(2014, 6, 1),
        occurred_on_precision="month",
        damage_type=DamageType.LOOTING,
        extent=Extent.SEVERE,
    )
    unpublished = []
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.REJECTED, Status.RETRACTED):
        secret_article = make_article(
            title=f"{SECRET} article", text=f"{SECRET} the fire burned the arch ({status})."
        )
        report = make_report(
            monument=arch,
            occurred_on=datetime.date(2016, 1, 1),
            damage_type=DamageType.FIRE,
            extent=Extent.MINOR,
            summary=f"{SECRET} {status} summary",
            curator_notes=PRIVATE_NOTE,
        )
        make_citation(report, secret_article, quote=f"{SECRET} the fire burned the arch")
        if status == Status.RETRACTED:
            DamageReport.objects.filter(pk=report.pk).update(
                status=status, retraction_reason="Withdrawn.", published_at=report.created_at
            )
        else:
            DamageReport.objects.filter(pk=report.pk).update(status=status)
        unpublished.append(report)
    return {
        "palmyra": palmyra,
        "hidden": hidden,
        "bel": bel,
        "arch": arch,
        "shrine": shrine,
        "published": [bel_report, arch_report, shrine_report],
        "unpublished": unpublished,
    }
