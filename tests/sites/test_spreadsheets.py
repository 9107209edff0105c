"""Sites and monuments in and out of spreadsheets (CSV and XLSX)."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from sites.models import HeritageSite, Monument
from sites.resources import HeritageSiteResource, MonumentResource
from tests.admin_pages import admin_url

pytestmark = pytest.mark.django_db

SITES_CSV = (
    "unesco_id,name,slug,countries,region,category,criteria,year_inscribed,in_danger_since,"
    "latitude,longitude,location_is_sensitive,description\n"
    "23,Site of Palmyra,palmyra,SY,arab_states,cultural,(i)(ii)(iv),1980,2013,"
    "34.554167,38.266667,0,Oasis city.\n"
    "21,Ancient City of Aleppo,,SY,arab_states,cultural,(iii)(iv),1986,2013,"
    "36.233333,37.166667,0,\n"
)


def dataset(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(text, format="csv")


def test_a_dry_run_reports_row_errors_and_writes_nothing():
    bad = SITES_CSV + "22,Bosra,bosra,SY,arab_states,cultural,(i)(iii)(vi),1980,1970,95,36.48,0,\n"
    bad += ",No Number,,SY,,cultural,,,,,,0,\n"
    result = HeritageSiteResource().import_data(dataset(bad), dry_run=True)
    assert result.has_validation_errors()
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(invalid) == {3, 4}
    assert "latitude" in invalid[3] and "in_danger_since" in invalid[3]
    assert "unesco_id is empty" in str(invalid[4])
    assert not HeritageSite.objects.exists()


def test_a_real_import_creates_then_changes_nothing_the_second_time():
    first = HeritageSiteResource().import_data(dataset(SITES_CSV))
    assert not first.has_errors() and not first.has_validation_errors()
    assert first.totals["new"] == 2
    aleppo = HeritageSite.objects.get(unesco_id=21)
    assert (aleppo.slug, [c.code for c in aleppo.countries]) == ("ancient-city-of-aleppo", ["SY"])
    second = HeritageSiteResource().import_data(dataset(SITES_CSV))
    assert (second.totals["new"], second.totals["update"], second.totals["skip"]) == (0, 0, 2)
    assert HeritageSite.objects.count() == 2


def test_an_exported_sheet_imports_back_unchanged_in_csv_and_xlsx():
    HeritageSiteResource().import_data(dataset(SITES_CSV))
    for file_format in ("csv", "xlsx"):
        exported = HeritageSiteResource().export()
        again = tablib.Dataset().load(exported.export(file_format), format=file_format)
        result = HeritageSiteResource().import_data(again)
        assert result.totals["skip"] == 2, file_format


def test_monuments_are_matched_on_site_and_slug_with_their_other_names():
    HeritageSiteResource().import_data(dataset(SITES_CSV))
    sheet = (
        "site,slug,name,kind,alternative_names,period\n"
        "palmyra,monumental-arch,Monumental Arch,arch,Arch of Triumph; Triumphal Arch,\n"
        "ancient-city-of-aleppo,,Great Mosque of Aleppo,mosque,,founded 8th century\n"
    )
    result = MonumentResource().import_data(dataset(sheet))
    assert not result.has_errors() and not result.has_validation_errors()
    arch = Monument.objects.get(site__slug="palmyra", slug="monumental-arch")
    assert sorted(arch.alternative_names.values_list("name", flat=True)) == [
        "Arch of Triumph",
        "Triumphal Arch",
    ]
    again = MonumentResource().import_data(dataset(sheet))
    assert again.totals["skip"] == 2
    renamed = sheet.replace("Arch of Triumph; Triumphal Arch", "Arch of Septimius Severus")
    MonumentResource().import_data(dataset(renamed))
    assert list(arch.alternative_names.values_list("name", flat=True)) == [
        "Arch of Septimius Severus"
    ]


def test_a_monument_of_an_unknown_site_is_a_row_error():
    sheet = "site,slug,name,kind\natlantis,temple,Temple,temple\n"
    result = MonumentResource().import_data(dataset(sheet), dry_run=True)
    assert result.has_validation_errors()
    assert "site" in result.invalid_rows[0].error_dict


def test_a_curator_imports_sites_from_the_admin_after_a_preview(admin_client):
    url = admin_url(HeritageSite, "import")
    upload = SimpleUploadedFile("sites.csv", SITES_CSV.encode(), content_type="text/csv")
    preview = admin_client.post(url, {"resource": 0, "format": 0, "import_file": upload})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Confirm import" in page and "Site of Palmyra" in page
    assert not HeritageSite.objects.exists()  # a preview writes nothing

    confirm_form = preview.context["confirm_form"]
    data = {name: field.initial for name, field in confirm_form.fields.items()}
    data |= {k: v for k, v in confirm_form.initial.items()}
    response = admin_client.post(admin_url(HeritageSite, "process_import"), data)
    assert response.status_code == 302
    assert HeritageSite.objects.count() == 2


def test_the_admin_preview_shows_row_errors(admin_client):
    bad = SITES_CSV + "22,Bosra,bosra,SY,arab_states,cultural,,1980,,95,36.48,0,\n"
    upload = SimpleUploadedFile("sites.csv", bad.encode(), content_type="text/csv")
    response = admin_client.post(
        admin_url(HeritageSite, "import"), {"resource": 0, "format": 0, "import_file": upload}
    )
    page = response.content.decode()
    assert "Ensure this value is less than or equal to 90." in page
    assert "Confirm import" not in page
    assert not HeritageSite.objects.exists()


def test_curators_export_sites_as_xlsx(admin_client):
    HeritageSiteResource().import_data(dataset(SITES_CSV))
    response = admin_client.post(
        admin_url(HeritageSite, "export"),
        {
            "format": 1,
            "resource": 0,
            **{f"heritagesiteresource_{f}": "on" for f in ["unesco_id", "name"]},
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
