"""What a reports sheet's cells may hold (issue 10, an outside tester's findings): an id that
is not a whole number is the row's error, never a new draft; a formula is never imported as a
blank; a long summary survives export and import."""

import csv

import pytest

from reports.models import DamageReport
from reports.vocabularies import Status
from tests.factories import make_monument, make_report, make_site
from tests.reports.test_spreadsheet_round_trip import (
    CSV,
    XLSX,
    confirm,
    export_all,
    import_preview,
    rows_of,
    to_file,
)
from tests.sites.test_spreadsheet_limits import cell, column_letters, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["id", "site", "monument", "occurred_on", "damage_type", "summary"]


@pytest.fixture
def palmyra():
    site = make_site(name="Site of Palmyra", slug="palmyra", unesco_id=23)
    make_monument(site, name="Temple of Bel", slug="temple-of-bel")
    return site


def one_row(values: list) -> bytes:
    """An XLSX written by hand; a value that is a `<c>` element's XML is used as it is."""
    cells = "".join(
        value.replace("{ref}", f"{column_letters(index)}2")
        if isinstance(value, str) and value.startswith("<c")
        else cell(f"{column_letters(index)}2", value)
        for index, value in enumerate(values, 1)
        if value is not None
    )
    return xlsx([HEADER], extra=f'<row r="2">{cells}</row>')


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("INF", "&#x27;INF&#x27; is not a report id"),
        ("-INF", "&#x27;-INF&#x27; is not a report id"),
        ("NaN", "&#x27;NaN&#x27; is not a report id"),
        ("1E+400", "&#x27;1E+400&#x27; is not a report id"),
        ("1.5", "&#x27;1.5&#x27; is not a report id"),
    ],
)
def test_an_xlsx_id_that_is_no_whole_number_is_the_rows_error_not_a_new_draft(
    client, editor, palmyra, raw, message
):
    report = make_report(palmyra, summary="Mines in the ruins.", damage_type="mines")
    client.force_login(editor)
    row = [f'<c r="{{ref}}"><v>{raw}</v></c>', "palmyra", None, "2015-08-30", "mines", "x"]
    preview = import_preview(client, DamageReport, "reports.xlsx", one_row(row), XLSX)
    result = preview.context["result"]
    assert "New" not in [row.import_type for row in result.rows]
    assert message in preview.content.decode()
    assert "confirm_form" not in preview.context
    assert list(DamageReport.objects.all()) == [report]


def test_a_formula_in_the_summary_says_so_instead_of_cannot_be_blank(client, editor, palmyra):
    client.force_login(editor)
    row = [None, "palmyra", None, "2015-08-30", "mines", '<c r="{ref}"><f>1+1</f><v></v></c>']
    preview = import_preview(client, DamageReport, "reports.xlsx", one_row(row), XLSX)
    page = preview.content.decode()
    assert (
        "Cell F2 holds a formula (=1+1) saved without its value: formulas are not imported; "
        "type its value instead." in page
    )
    assert "cannot be blank" not in page and "confirm_form" not in preview.context
    assert not DamageReport.objects.exists()


def test_a_formula_saved_with_its_value_imports_the_value(client, editor, palmyra):
    client.force_login(editor)
    summary = (
        '<c r="{ref}" t="str"><f>"Mines in "&amp;"the ruins."</f><v>Mines in the ruins.</v></c>'
    )
    row = [None, "palmyra", None, "2015-08-30", "mines", summary]
    preview = import_preview(client, DamageReport, "reports.xlsx", one_row(row), XLSX)
    assert preview.context["result"].totals["new"] == 1
    assert confirm(client, DamageReport, preview).status_code == 302
    assert DamageReport.objects.get().summary == "Mines in the ruins."


def test_a_summary_of_200_000_characters_survives_a_csv_export_and_import(client, editor, palmyra):
    summary = ("Cella blown up; the columns fell. " * 6_000)[:200_000]
    report = make_report(palmyra, summary=summary, status=Status.DRAFT)
    client.force_login(editor)
    exported = export_all(client, DamageReport, CSV)
    csv.field_size_limit(1_000_000)  # this test's own reading of the export
    rows = rows_of(exported, CSV)
    assert rows[0]["summary"] == summary
    rows[0]["extent"] = "severe"
    data = to_file(rows, CSV)
    csv.field_size_limit(131_072)  # Python's default: the import must not depend on ours
    preview = import_preview(client, DamageReport, "reports.csv", data, CSV)
    assert "form" not in preview.context or not preview.context["form"].errors
    assert preview.context["result"].totals["update"] == 1
    assert confirm(client, DamageReport, preview).status_code == 302
    report.refresh_from_db()
    assert (report.extent, report.summary) == ("severe", summary)
    assert DamageReport.objects.count() == 1
