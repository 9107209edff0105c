"""Spreadsheet imports are bounded: bytes, rows, columns, and cells read one by one whatever a
worksheet declares (issue 10: a 4.7 KB dimension bomb grew a worker to 24 GB)."""

import io
import json
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heritage.spreadsheets import (
    Limits,
    SpreadsheetRefused,
    TooManyRows,
    admin_limits,
    read_dataset,
)
from sites.models import HeritageSite
from tests.admin_pages import admin_url
from tests.commands import run_measured

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).parents[2]
CSV, XLSX = "0", "1"  # the admin's format choices

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def cell(reference: str, value, strings: list[str] | None = None) -> str:
    """A cell; a text is inline, or an index into `strings` (the shared strings) when given."""
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    if strings is not None:
        if value not in strings:
            strings.append(value)
        return f'<c r="{reference}" t="s"><v>{strings.index(value)}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx(
    rows: list[list], dimension: str | None = None, extra: str = "", shared: bool = False
) -> bytes:
    """An XLSX written by hand: inline strings, or `shared` strings as Excel and LibreOffice
    save them; an optional declared <dimension>, and `extra` cells (XML) after the rows."""
    strings: list[str] | None = [] if shared else None
    body = "".join(
        f'<row r="{number}">'
        + "".join(
            cell(f"{column_letters(index)}{number}", value, strings)
            for index, value in enumerate(row, 1)
            if value is not None
        )
        + "</row>"
        for number, row in enumerate(rows, 1)
    )
    dimension_xml = f'<dimension ref="{dimension}"/>' if dimension else ""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_RELS}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
            f"{dimension_xml}<sheetData>{body}{extra}</sheetData></worksheet>"
        ),
    }
    if strings is not None:
        items = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


SITE_HEADER = ["unesco_id", "name", "slug", "countries", "category"]
SITE_ROW = [23, "Site of Palmyra", "palmyra", "SY", "cultural"]


def dimension_bomb() -> bytes:
    """What took a worker to 24 GB: a sheet declaring A1:XFD1048576, with a cell there."""
    return xlsx(
        [SITE_HEADER, SITE_ROW],
        dimension="A1:XFD1048576",
        extra='<row r="1048576">' + cell("XFD1048576", "x") + "</row>",
    )


def post_import(client, model, name: str, data: bytes, file_format: str):
    upload = SimpleUploadedFile(name, data)
    return client.post(
        admin_url(model, "import"), {"resource": "0", "format": file_format, "import_file": upload}
    )


def form_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("import_file", []))


@pytest.fixture
def temp_dirs(settings, tmp_path, monkeypatch):
    """The system temporary folder and the uploads' folder, each empty at the start."""
    system = tmp_path / "system-tmp"
    system.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system))
    settings.FILE_UPLOAD_TEMP_DIR = str(system)
    settings.SPREADSHEET_UPLOAD_DIR = tmp_path / "uploads"
    return system, settings.SPREADSHEET_UPLOAD_DIR


def leftovers(temp_dirs) -> list[str]:
    return sorted(str(p) for folder in temp_dirs if folder.exists() for p in folder.iterdir())


def test_the_dimension_bomb_is_small_on_disk():
    assert len(dimension_bomb()) < 5_000


def test_a_dimension_bomb_is_refused_through_the_admin_without_reading_its_emptiness(
    client, editor, temp_dirs
):
    client.force_login(editor)
    response = post_import(client, HeritageSite, "bomb.xlsx", dimension_bomb(), XLSX)
    assert response.status_code == 200
    assert "Cell XFD1048576 is beyond the 50 columns" in form_errors(response)
    assert not HeritageSite.objects.exists()
    assert leftovers(temp_dirs) == []


def test_an_xlsx_with_shared_strings_as_excel_saves_it_imports(client, editor, temp_dirs):
    """Excel and LibreOffice keep texts in xl/sharedStrings.xml (found by an outside tester:
    every such file was a 500; the app's own exports write inline strings)."""
    data = xlsx([SITE_HEADER, SITE_ROW], shared=True)
    assert b"sharedStrings" in data
    dataset = read_dataset(io.BytesIO(data), "xlsx", admin_limits())
    assert dataset.dict == [dict(zip(SITE_HEADER, SITE_ROW, strict=True))]
    client.force_login(editor)
    response = post_import(client, HeritageSite, "excel.xlsx", data, XLSX)
    assert response.status_code == 200
    assert not form_errors(response)
    assert "Site of Palmyra" in response.content.decode()  # the preview


def clutter_bomb(element: str, count: int) -> bytes:
    """A small XLSX whose sheet holds `count` elements no table needs: empty unknown ones
    in sheetData, or empty cells in one row. Each was kept in memory (a 47 KB file took a
    worker to 1 GB and past gunicorn's timeout)."""
    if element == "cell":
        return xlsx([SITE_HEADER, SITE_ROW], extra='<row r="3">' + "<c/>" * count + "</row>")
    return xlsx([SITE_HEADER, SITE_ROW], extra="<x/>" * count)


@pytest.mark.parametrize("element", ["unknown", "cell"])
def test_a_sheet_cluttered_with_empty_elements_is_refused_without_holding_them(element):
    limits = Limits(
        max_bytes=10**6, max_rows=10, max_columns=10, max_unzipped_bytes=10**8, max_strings=100
    )
    with pytest.raises(SpreadsheetRefused, match="more than 4,400 XML elements"):
        read_dataset(io.BytesIO(clutter_bomb(element, 100_000)), "xlsx", limits)
    # Within the budget, the clutter is read and dropped: the table is what remains.
    dataset = read_dataset(io.BytesIO(clutter_bomb(element, 3_000)), "xlsx", limits)
    assert dataset.dict == [dict(zip(SITE_HEADER, SITE_ROW, strict=True))]


REFUSED_IMPORT = """
import sys, django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from heritage.spreadsheet_admin import SpreadsheetImportForm
from heritage.spreadsheets import FORMATS
from sites.resources import HeritageSiteResource
upload = SimpleUploadedFile("bomb.xlsx", open(sys.argv[1], "rb").read())
form = SpreadsheetImportForm(
    FORMATS, [HeritageSiteResource], data={"format": "1", "resource": "0"},
    files={"import_file": upload},
)
assert not form.is_valid()
import json
print(json.dumps({"errors": form.errors["import_file"]}))
"""


def refused_in_a_process_of_its_own(tmp_path, data: bytes) -> tuple[str, float]:
    """The admin form's error for an XLSX upload of `data`, and the peak memory (MB) of the
    process that refused it."""
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(data)
    status, stdout, stderr, peak_kib = run_measured(
        [sys.executable, "-c", REFUSED_IMPORT, str(bomb)],
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
    )
    assert status == 0, stderr
    return json.loads(stdout.strip().splitlines()[-1])["errors"][0], peak_kib / 1024


def test_the_peak_memory_of_a_refused_dimension_bomb_stays_bounded(tmp_path):
    error, peak_mb = refused_in_a_process_of_its_own(tmp_path, dimension_bomb())
    print(f"\npeak RSS of the refused dimension-bomb import: {peak_mb:.0f} MB")
    assert "XFD1048576" in error
    assert peak_mb < 300


@pytest.mark.parametrize("element", ["unknown", "cell"])
def test_the_peak_memory_of_a_refused_clutter_bomb_stays_bounded(tmp_path, element):
    data = clutter_bomb(element, 12_000_000)  # what the tester sent: 50 kB zipped
    assert len(data) < 200_000
    error, peak_mb = refused_in_a_process_of_its_own(tmp_path, data)
    print(f"\npeak RSS of the refused {element} clutter-bomb import: {peak_mb:.0f} MB")
    assert "XML elements" in error
    assert peak_mb < 300


def test_a_bomb_declaring_its_dimension_without_the_far_cell_reads_only_real_rows():
    data = xlsx([SITE_HEADER, SITE_ROW], dimension="A1:XFD1048576")
    dataset = read_dataset(io.BytesIO(data), "xlsx", admin_limits())
    assert dataset.headers == SITE_HEADER
    assert dataset.dict == [dict(zip(SITE_HEADER, SITE_ROW, strict=True))]


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(client, editor, temp_dirs):
    client.force_login(editor)
    big = ",".join(SITE_HEADER).encode() + b"\n" + b"x" * 5_000_001
    response = post_import(client, HeritageSite, "big.csv", big, CSV)
    assert response.status_code == 200
    assert "at most 5 MB are read here" in form_errors(response)
    assert leftovers(temp_dirs) == []


def test_more_rows_than_the_admin_takes_names_the_command(client, editor, temp_dirs):
    client.force_login(editor)
    rows = "".join(f"{n},Site {n},site-{n},SY,cultural\n" for n in range(1, 502))
    data = (",".join(SITE_HEADER) + "\n" + rows).encode()
    response = post_import(client, HeritageSite, "many.csv", data, CSV)
    assert response.status_code == 200
    error = form_errors(response)
    assert "more than 500 rows" in error
    assert "manage.py import_spreadsheet sites FILE" in error
    assert not HeritageSite.objects.exists()
    assert leftovers(temp_dirs) == []


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_reader_stops_at_the_row_limit_and_at_the_column_limit(file_format):
    limits = Limits(
        max_bytes=10**6, max_rows=3, max_columns=4, max_unzipped_bytes=10**7, max_strings=100
    )
    header = ["a", "b", "c"]
    rows = [header] + [[1, 2, 3]] * 4

    def encoded(rows: list[list]) -> bytes:
        if file_format == "xlsx":
            return xlsx(rows)
        return "".join(",".join(map(str, row)) + "\n" for row in rows).encode()

    with pytest.raises(TooManyRows):
        read_dataset(io.BytesIO(encoded(rows)), file_format, limits)
    assert len(read_dataset(io.BytesIO(encoded(rows[:4])), file_format, limits)) == 3
    wide = [["a", "b", "c", "d", "e"], [1, 2, 3, 4, 5]]
    with pytest.raises(SpreadsheetRefused, match="columns"):
        read_dataset(io.BytesIO(encoded(wide)), file_format, limits)


def test_an_xlsx_that_inflates_beyond_the_limit_is_refused():
    limits = Limits(
        max_bytes=10**6, max_rows=10, max_columns=10, max_unzipped_bytes=10**5, max_strings=100
    )
    padding = "<row/>" * 50_000  # 300 kB of XML, a few hundred bytes zipped
    with pytest.raises(SpreadsheetRefused, match="inflates to"):
        read_dataset(io.BytesIO(xlsx([["a"], [1]], extra=padding)), "xlsx", limits)


def test_an_unconfirmed_preview_is_removed_by_a_later_import(client, editor, temp_dirs, settings):
    """Uploads wait for their confirmation SPREADSHEET_UPLOAD_MAX_AGE seconds at most."""
    client.force_login(editor)
    data = (",".join(SITE_HEADER) + "\n23,Site of Palmyra,palmyra,SY,cultural\n").encode()
    preview = post_import(client, HeritageSite, "sites.csv", data, CSV)
    assert "confirm_form" in preview.context
    system, uploads = temp_dirs
    (kept,) = uploads.iterdir()  # kept for its confirmation, nowhere else
    assert list(system.iterdir()) == []
    expired = kept.stat().st_mtime - settings.SPREADSHEET_UPLOAD_MAX_AGE - 1
    import os

    os.utime(kept, (expired, expired))
    client.get(admin_url(HeritageSite, "import"))
    assert leftovers(temp_dirs) == []


def test_a_confirmed_import_leaves_no_file_and_an_expired_one_says_so(client, editor, temp_dirs):
    client.force_login(editor)
    data = (",".join(SITE_HEADER) + "\n23,Site of Palmyra,palmyra,SY,cultural\n").encode()
    preview = post_import(client, HeritageSite, "sites.csv", data, CSV)
    confirm = {k: v for k, v in preview.context["confirm_form"].initial.items()}
    response = client.post(admin_url(HeritageSite, "process_import"), confirm)
    assert response.status_code == 302
    assert HeritageSite.objects.get().name == "Site of Palmyra"
    assert leftovers(temp_dirs) == []
    again = client.post(admin_url(HeritageSite, "process_import"), confirm, follow=True)
    assert "upload the file again" in again.content.decode()
    assert HeritageSite.objects.count() == 1


def test_a_preview_with_row_errors_keeps_no_file(client, editor, temp_dirs):
    client.force_login(editor)
    data = (",".join(SITE_HEADER) + "\n23,Site of Palmyra,palmyra,SY,meteor\n").encode()
    response = post_import(client, HeritageSite, "sites.csv", data, CSV)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    assert "meteor" in response.content.decode()
    assert leftovers(temp_dirs) == []
