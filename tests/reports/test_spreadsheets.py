"""Damage reports in and out of spreadsheets: imports arrive as drafts, never publish, and
re-importing changes nothing."""

import pytest
import tablib

from reports.models import DamageReport
from reports.resources import DamageReportResource
from reports.vocabularies import Status
from tests.factories import make_monument, make_published_report, make_site

pytestmark = pytest.mark.django_db

HEADER = "site,monument,occurred_on,occurred_on_precision,damage_type,extent,summary,status\n"


@pytest.fixture
def palmyra():
    site = make_site(name="Site of Palmyra", slug="palmyra")
    make_monument(site, name="Temple of Bel", slug="temple-of-bel")
    return site


def sheet(*rows: str) -> tablib.Dataset:
    return tablib.Dataset().load(HEADER + "".join(f"{row}\n" for row in rows), format="csv")


BEL = "palmyra,palmyra/temple-of-bel,2015-08-30,day,explosives,destroyed,Cella blown up.,published"
MINES = "palmyra,,2015-06-01,month,mines,unknown,Mines in the ruins.,"


def test_imported_reports_arrive_as_drafts_whatever_the_sheet_says(palmyra, admin_user):
    result = DamageReportResource().import_data(sheet(BEL, MINES), user=admin_user)
    assert not result.has_errors() and not result.has_validation_errors()
    reports = DamageReport.objects.order_by("occurred_on")
    assert [r.status for r in reports] == [Status.DRAFT, Status.DRAFT]
    assert [r.created_by for r in reports] == [admin_user, admin_user]
    assert reports[0].monument is None and reports[1].monument.slug == "temple-of-bel"
    assert reports[0].occurred_display == "June 2015"


def test_re_importing_the_same_sheet_changes_nothing(palmyra):
    DamageReportResource().import_data(sheet(BEL, MINES))
    again = DamageReportResource().import_data(sheet(BEL, MINES))
    assert (again.totals["new"], again.totals["skip"]) == (0, 2)
    assert DamageReport.objects.count() == 2


def test_an_import_never_touches_a_published_report(palmyra):
    bel = palmyra.monuments.get()
    published = make_published_report(
        monument=bel, occurred_on="2015-08-30", summary="Cella blown up.", extent="severe"
    )
    result = DamageReportResource().import_data(sheet(BEL), dry_run=True)
    assert result.has_validation_errors()
    assert "never what the public sees" in str(result.invalid_rows[0].error_dict)
    published.refresh_from_db()
    assert (published.status, published.extent) == (Status.PUBLISHED, "severe")


def test_a_dry_run_names_the_bad_cells(palmyra):
    rows = (
        "palmyra,palmyra/nowhere,2015-08-30,day,explosives,destroyed,x,",
        "atlantis,,2015-08-30,day,explosives,destroyed,x,",
        "palmyra,,30/08/2015,day,explosives,destroyed,x,",
        "palmyra,,2015-08-30,day,meteor,destroyed,x,",
    )
    result = DamageReportResource().import_data(sheet(*rows), dry_run=True)
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert "No monument 'palmyra/nowhere'" in str(errors[1]["monument"])
    assert "No site with the slug 'atlantis'" in str(errors[2]["site"])
    assert "YYYY-MM-DD" in str(errors[3]["occurred_on"])
    assert "meteor" in str(errors[4]["damage_type"])
    assert not DamageReport.objects.exists()


def test_exported_reports_carry_their_status_and_monument_key(palmyra):
    make_published_report(monument=palmyra.monuments.get())
    exported = DamageReportResource().export()
    (row,) = exported.dict
    assert (row["status"], row["monument"], row["site"]) == (
        "published",
        "palmyra/temple-of-bel",
        "palmyra",
    )
    xlsx = tablib.Dataset().load(exported.export("xlsx"), format="xlsx")
    assert xlsx.dict[0]["monument"] == "palmyra/temple-of-bel"
