"""Every importer (sites, monuments, reports), in CSV and XLSX, against every kind of bad file
a curator can upload, POSTed through the admin as an editor: a clear error on the page (never
a 500 or a traceback), nothing written, no temporary file left (issue 10)."""

import itertools
from decimal import Decimal

import pytest

from reports.models import DamageReport
from sites.models import HeritageSite, Monument
from tests.factories import make_monument, make_site
from tests.sites.test_spreadsheet_limits import (
    clutter_bomb,
    dimension_bomb,
    leftovers,
    post_import,
    temp_dirs,  # noqa: F401 (a fixture)
    xlsx,
)

pytestmark = pytest.mark.django_db

# Per importer: a header, and a good row whose {number} takes the bad numbers.
IMPORTERS = {
    "sites": (
        HeritageSite,
        ["unesco_id", "name", "slug", "countries", "category", "latitude", "longitude"],
        ["4", "Bosra", "bosra", "SY", "cultural", "32.5", "{number}"],
    ),
    "monuments": (
        Monument,
        ["site", "slug", "name", "kind", "latitude", "longitude"],
        ["palmyra", "theatre", "Theatre", "theatre", "{number}", "38.2"],
    ),
    "reports": (
        DamageReport,
        ["id", "site", "monument", "occurred_on", "damage_type", "summary"],
        ["{number}", "palmyra", "", "2015-08-30", "explosives", "Theatre used."],
    ),
}
NON_FINITE = ["inf", "-inf", "nan", "1e400"]


def encode(rows: list[list[str]], file_format: str, encoding: str = "utf-8") -> bytes:
    if file_format == "xlsx":
        return xlsx([[_typed(value) for value in row] for row in rows])
    return "".join(",".join(row) + "\r\n" for row in rows).encode(encoding)


def _typed(value: str):
    """Numbers as number cells (inf, nan and 1e400 as the number cells a tool could write)."""
    try:
        return Decimal(value) if value.lstrip("-").replace(".", "").isalnum() else value
    except ArithmeticError:
        return value


def bad_files(importer: str, file_format: str) -> dict[str, bytes]:
    _, header, row = IMPORTERS[importer]
    good = [header, [cell.replace("{number}", "1") for cell in row]]
    files = {
        "empty": b"",
        "binary garbage": bytes(range(256)) * 40,
        "latin-1": encode(
            [header, [cell.replace("{number}", "1") + "é" for cell in row]], "csv", "latin-1"
        ),
        "utf-16": encode(good, "csv", "utf-16"),
        "nul bytes": encode(good, "csv").replace(b"\r\n", b"\x00\r\n", 1) + b"\x00" * 64,
        "over the byte limit": encode(good, "csv") + b"x" * 5_000_001,
        "ragged rows": encode([header, [*good[1], "extra"]], file_format),
        "broken zip": xlsx(good)[:300],
        "dimension bomb": dimension_bomb(),
        "clutter bomb": clutter_bomb("cell", 1_000_000),
        # The last cell's quote left open: read leniently, the row looked good in the preview.
        "unterminated quote": encode([header, [*good[1][:-1], '"' + good[1][-1]]], "csv"),
        "missing columns": encode([header[1:3], good[1][1:3]], file_format),
        "header only": encode([header], file_format),
    }
    for number in NON_FINITE:
        files[f"number {number}"] = encode(
            [header, [cell.replace("{number}", number) for cell in row]], file_format
        )
    return files


CASES = [
    (importer, file_format, case)
    for importer, file_format in itertools.product(IMPORTERS, ["csv", "xlsx"])
    for case in bad_files(importer, file_format)
]


def test_the_sweep_size():
    print(f"\nspreadsheet sweep: {len(CASES)} bad uploads (3 importers x 2 formats)")
    assert len(CASES) == 3 * 2 * 17


@pytest.mark.parametrize(("importer", "file_format", "case"), CASES)
def test_a_bad_upload_is_a_clear_error_and_leaves_nothing(
    client,
    editor,
    temp_dirs,  # noqa: F811 (the fixture imported above)
    importer,
    file_format,
    case,  # noqa: F811
):
    site = make_site(name="Site of Palmyra", slug="palmyra", unesco_id=23)
    make_monument(site, name="Temple of Bel", slug="temple-of-bel")
    counts = [model.objects.count() for model in (HeritageSite, Monument, DamageReport)]
    model = IMPORTERS[importer][0]
    data = bad_files(importer, file_format)[case]
    client.force_login(editor)

    response = post_import(
        client,
        model,
        f"upload.{file_format}",
        data,
        ("csv", "xlsx").index(file_format) and "1" or "0",
    )

    assert response.status_code == 200
    page = response.content.decode()
    form_errors = response.context["form"].errors.get("import_file", [])
    result = response.context.get("result")
    row_errors = result is not None and (result.has_errors() or result.has_validation_errors())
    assert form_errors or row_errors, (case, page[-2000:])
    assert not (result and result.has_errors()), result.row_errors()  # exceptions, not rules
    assert "confirm_form" not in response.context
    assert "Traceback" not in page and "site-packages" not in page
    for message in form_errors:
        assert len(message) < 400 and "\n" not in message
    assert [m.objects.count() for m in (HeritageSite, Monument, DamageReport)] == counts
    assert leftovers(temp_dirs) == []
    if case.startswith("number"):
        assert "is not a number" in page or "is not a report id" in page
