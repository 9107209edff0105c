"""What a sites sheet's cells may hold (issue 10, an outside tester's findings): yes/no columns
take the usual spellings and refuse the rest, XLSX numbers get the same checks as CSV text,
whole-number columns refuse fractions, and an XLSX formula is never imported as blank."""

import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from heritage.spreadsheets import SpreadsheetRefused, admin_limits, read_dataset
from sites.models import HeritageSite
from sites.resources import HeritageSiteResource
from tests.admin_pages import admin_url
from tests.sites.test_spreadsheet_limits import XLSX, cell, column_letters, post_import, xlsx

pytestmark = pytest.mark.django_db

HEADER = ["unesco_id", "name", "slug", "countries", "latitude", "longitude"]


def sensitive_site() -> HeritageSite:
    return HeritageSite.objects.create(
        unesco_id=23,
        name="Site of Palmyra",
        slug="palmyra",
        countries=["SY"],
        latitude=34.554167,
        longitude=38.266667,
        location_is_sensitive=True,
    )


def sites_csv(flag: str) -> tablib.Dataset:
    text = f"{','.join(HEADER)},location_is_sensitive\n23,Site of Palmyra,palmyra,SY,,,{flag}\n"
    return tablib.Dataset().load(text, format="csv")


def hand_written(header: list[str], values: list) -> tablib.Dataset:
    """One row of an XLSX written by hand: a value that is a `<c>` element's XML is used as it
    is (INF, NaN, 1E+400, formulas, which openpyxl cannot write)."""
    cells = "".join(
        value.replace("{ref}", f"{column_letters(index)}2")
        if isinstance(value, str) and value.startswith("<c")
        else cell(f"{column_letters(index)}2", value)
        for index, value in enumerate(values, 1)
        if value is not None
    )
    data = xlsx([header], extra=f'<row r="2">{cells}</row>')
    return read_dataset(io.BytesIO(data), "xlsx", admin_limits())


def number(raw: str) -> str:
    return f'<c r="{{ref}}"><v>{raw}</v></c>'


def errors_of(result) -> dict[str, str]:
    """Every row's errors, by column ("" for a whole-row error), as one string each."""
    found: dict[str, str] = {}
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            found[column] = found.get(column, "") + " ".join(messages)
    for _, errors in result.row_errors():
        found[""] = " ".join(str(error.error) for error in errors)
    return found


# --- yes/no columns --------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["1", "true", "TRUE", "True", "yes", "Yes", "YES", "y", "Y"])
def test_the_usual_spellings_of_yes_flag_a_site_as_sensitive(flag):
    result = HeritageSiteResource().import_data(sites_csv(flag))
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert HeritageSite.objects.get().location_is_sensitive is True


@pytest.mark.parametrize("flag", ["0", "false", "FALSE", "no", "No", "n", "N", " no "])
def test_the_usual_spellings_of_no_leave_a_site_unflagged(flag):
    sensitive_site()
    result = HeritageSiteResource().import_data(sites_csv(flag))
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert HeritageSite.objects.get().location_is_sensitive is False


@pytest.mark.parametrize("flag", ["x", "oui", "maybe", "null", "none", "2", "-1", "yes please"])
def test_anything_else_in_a_yes_no_column_is_the_rows_error_and_unflags_nothing(flag):
    sensitive_site()
    result = HeritageSiteResource().import_data(sites_csv(flag))
    errors = errors_of(result)
    assert list(errors) == ["location_is_sensitive"]
    assert f"{flag!r} is not yes or no" in errors["location_is_sensitive"]
    assert HeritageSite.objects.get().location_is_sensitive is True


def test_an_empty_yes_no_cell_keeps_the_sites_value_and_a_new_site_is_not_sensitive():
    sensitive_site()
    text = (
        f"{','.join(HEADER)},location_is_sensitive\n"
        "23,Site of Palmyra,palmyra,SY,,,\n"
        "21,Ancient City of Aleppo,aleppo,SY,,,\n"
    )
    result = HeritageSiteResource().import_data(tablib.Dataset().load(text, format="csv"))
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert HeritageSite.objects.get(slug="palmyra").location_is_sensitive is True
    assert HeritageSite.objects.get(slug="aleppo").location_is_sensitive is False


def test_xlsx_booleans_and_texts_are_read_as_yes_or_no():
    header = [*HEADER, "location_is_sensitive"]
    for value, expected in [
        ('<c r="{ref}" t="b"><v>1</v></c>', True),
        ('<c r="{ref}" t="b"><v>0</v></c>', False),
        ("Yes", True),
        (1, True),
        (0, False),
    ]:
        row = [23, "Site of Palmyra", "palmyra", "SY", None, None, value]
        result = HeritageSiteResource().import_data(hand_written(header, row))
        assert not result.has_validation_errors(), errors_of(result)
        assert HeritageSite.objects.get().location_is_sensitive is expected, value


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_sensitive_site_imports_back_sensitive(file_format):
    sensitive_site()
    exported = HeritageSiteResource().export()
    again = tablib.Dataset().load(exported.export(file_format), format=file_format)
    result = HeritageSiteResource().import_data(again)
    assert result.totals["skip"] == 1, errors_of(result)
    assert HeritageSite.objects.get().location_is_sensitive is True


def test_the_admin_preview_names_the_column_and_the_value(client, editor):
    sensitive_site()
    client.force_login(editor)
    data = f"{','.join(HEADER)},location_is_sensitive\n23,Site of Palmyra,palmyra,SY,,,oui\n"
    response = client.post(
        admin_url(HeritageSite, "import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("sites.csv", data.encode()),
        },
    )
    page = response.content.decode()
    assert "confirm_form" not in response.context
    assert "location_is_sensitive" in page and "&#x27;oui&#x27; is not yes or no" in page


def test_the_command_refuses_a_yes_no_cell_it_cannot_read(tmp_path):
    sensitive_site()
    path = tmp_path / "sites.csv"
    path.write_text(
        f"{','.join(HEADER)},location_is_sensitive\n23,Site of Palmyra,palmyra,SY,,,Y\n"
    )
    call_command("import_spreadsheet", "sites", str(path))
    assert HeritageSite.objects.get().location_is_sensitive is True
    path.write_text(
        f"{','.join(HEADER)},location_is_sensitive\n23,Site of Palmyra,palmyra,SY,,,x\n"
    )
    with pytest.raises(CommandError) as error:
        call_command("import_spreadsheet", "sites", str(path))
    assert str(error.value).startswith("Row 1: location_is_sensitive: 'x' is not yes or no")
    assert HeritageSite.objects.get().location_is_sensitive is True


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["INF", "-INF", "inf", "NaN", "1E+400", "-1E+400"])
def test_an_xlsx_unesco_id_that_is_not_a_number_is_the_rows_error(raw):
    row = [number(raw), "Site of Palmyra", "palmyra", "SY", None, None]
    result = HeritageSiteResource().import_data(hand_written(HEADER, row))
    errors = errors_of(result)
    assert f"{raw!r} is not a number that can be stored" in " ".join(errors.values())
    assert "is empty" not in " ".join(errors.values())
    assert not HeritageSite.objects.exists()


@pytest.mark.parametrize(
    ("column", "raw", "message"),
    [
        ("unesco_id", "1.5", "'1.5' is not a whole number"),
        ("year_inscribed", "1990.7", "'1990.7' is not a whole number"),
        ("in_danger_since", "2013.5", "'2013.5' is not a whole number"),
        ("year_inscribed", "INF", "'INF' is not a number that can be stored"),
        ("year_inscribed", "NaN", "'NaN' is not a number that can be stored"),
        ("year_inscribed", "1E+400", "'1E+400' is not a number that can be stored"),
    ],
)
def test_a_whole_number_column_refuses_fractions_and_infinities_from_xlsx(column, raw, message):
    header = ["unesco_id", "name", "slug", "countries", "year_inscribed", "in_danger_since"]
    row = [23, "Site of Palmyra", "palmyra", "SY", 1980, 2013]
    row[header.index(column)] = number(raw)
    result = HeritageSiteResource().import_data(hand_written(header, row))
    assert message in " ".join(errors_of(result).values())
    assert not HeritageSite.objects.exists()


def test_fractions_written_by_openpyxl_are_refused_in_whole_number_columns():
    book = openpyxl.Workbook()
    book.active.append(["unesco_id", "name", "slug", "countries", "year_inscribed"])
    book.active.append([1.5, "Site of Palmyra", "palmyra", "SY", 1980])
    book.active.append([21, "Ancient City of Aleppo", "aleppo", "SY", 1986.25])
    buffer = io.BytesIO()
    book.save(buffer)
    dataset = read_dataset(io.BytesIO(buffer.getvalue()), "xlsx", admin_limits())
    result = HeritageSiteResource().import_data(dataset)
    messages = [str(e.error) for _, errs in result.row_errors() for e in errs]
    assert messages == ["'1.5' is not a whole number."]
    (invalid,) = result.invalid_rows
    assert invalid.error_dict == {"year_inscribed": ["'1986.25' is not a whole number."]}
    assert not HeritageSite.objects.exists()


def test_a_csv_fraction_in_a_whole_number_column_is_refused_too():
    text = "unesco_id,name,slug,countries,year_inscribed\n23,Palmyra,palmyra,SY,1980.5\n"
    result = HeritageSiteResource().import_data(tablib.Dataset().load(text, format="csv"))
    assert errors_of(result) == {"year_inscribed": "'1980.5' is not a whole number."}
    whole = text.replace("1980.5", "1980.0")
    assert (
        not HeritageSiteResource()
        .import_data(tablib.Dataset().load(whole, format="csv"))
        .has_validation_errors()
    )
    assert HeritageSite.objects.get().year_inscribed == 1980


@pytest.mark.parametrize("raw", ["INF", "NaN", "-INF", "1E+400"])
def test_an_xlsx_coordinate_that_is_not_a_number_says_so_and_only_that(raw):
    row = [23, "Site of Palmyra", "palmyra", "SY", number(raw), 38.27]
    errors = errors_of(HeritageSiteResource().import_data(hand_written(HEADER, row)))
    assert errors == {"latitude": f"{raw!r} is not a number that can be stored."}
    both = [23, "Site of Palmyra", "palmyra", "SY", number(raw), number(raw)]
    errors = errors_of(HeritageSiteResource().import_data(hand_written(HEADER, both)))
    assert errors == {
        "latitude": f"{raw!r} is not a number that can be stored.",
        "longitude": f"{raw!r} is not a number that can be stored.",
    }
    assert not HeritageSite.objects.exists()


def test_the_admin_preview_of_an_xlsx_with_an_infinite_unesco_id_says_so(client, editor):
    client.force_login(editor)
    row = (
        f'<row r="2"><c r="A2"><v>INF</v></c>{cell("B2", "Palmyra")}{cell("C2", "palmyra")}</row>'
    )
    data = xlsx([["unesco_id", "name", "slug"]], extra=row)
    response = post_import(client, HeritageSite, "sites.xlsx", data, XLSX)
    page = response.content.decode()
    assert "&#x27;INF&#x27; is not a number that can be stored" in page
    assert "unesco_id is empty" not in page and "confirm_form" not in response.context


# --- formulas and error values ----------------------------------------------------------------


def test_a_formula_saved_without_its_value_is_the_rows_error_naming_the_cell():
    header = ["unesco_id", "name", "slug", "countries", "description"]
    row = [23, "Site of Palmyra", "palmyra", "SY", '<c r="{ref}"><f>1+1</f></c>']
    errors = errors_of(HeritageSiteResource().import_data(hand_written(header, row)))
    assert errors == {
        "description": "Cell E2 holds a formula (=1+1) saved without its value: formulas are "
        "not imported; type its value instead."
    }
    assert not HeritageSite.objects.exists()


def test_a_formula_written_by_openpyxl_is_refused_and_one_saved_with_its_value_imports_it():
    book = openpyxl.Workbook()
    book.active.append(["unesco_id", "name", "slug", "countries", "description"])
    book.active.append([23, "=1+1", "palmyra", "SY", "Oasis city."])
    buffer = io.BytesIO()
    book.save(buffer)
    dataset = read_dataset(io.BytesIO(buffer.getvalue()), "xlsx", admin_limits())
    errors = errors_of(HeritageSiteResource().import_data(dataset))
    assert errors == {
        "name": "Cell B2 holds a formula (=1+1) saved without its value: formulas are not "
        "imported; type its value instead."
    }
    # As Excel and LibreOffice save them: the value the curator saw is imported.
    header = ["unesco_id", "name", "slug", "countries", "year_inscribed"]
    row = [
        '<c r="{ref}"><f>20+3</f><v>23</v></c>',
        '<c r="{ref}" t="str"><f>"Site of "&amp;"Palmyra"</f><v>Site of Palmyra</v></c>',
        "palmyra",
        "SY",
        '<c r="{ref}"><f>1979+1</f><v>1980</v></c>',
    ]
    result = HeritageSiteResource().import_data(hand_written(header, row))
    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    site = HeritageSite.objects.get()
    assert (site.unesco_id, site.name, site.year_inscribed) == (23, "Site of Palmyra", 1980)


def test_an_error_value_is_the_rows_error_and_a_formula_in_the_header_refuses_the_file():
    header = ["unesco_id", "name", "slug", "countries", "year_inscribed"]
    row = [23, "Palmyra", "palmyra", "SY", '<c r="{ref}" t="e"><f>1/0</f><v>#DIV/0!</v></c>']
    errors = errors_of(HeritageSiteResource().import_data(hand_written(header, row)))
    assert errors == {
        "year_inscribed": "Cell E2 holds the spreadsheet error #DIV/0!; type its value instead."
    }
    data = xlsx([], extra='<row r="1"><c r="A1"><f>A2</f></c></row>')
    with pytest.raises(SpreadsheetRefused, match="Cell A1 holds a formula"):
        read_dataset(io.BytesIO(data), "xlsx", admin_limits())
