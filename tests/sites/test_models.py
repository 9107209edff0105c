from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from sites.models import AlternativeName, HeritageSite, Monument, SiteName, name_in
from tests.factories import make_monument, make_site

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [("90.5", "38", "latitude"), ("-91", "38", "latitude"), ("34", "180.1", "longitude")],
)
def test_it_rejects_coordinates_out_of_range_in_the_form(latitude, longitude, field):
    site = HeritageSite(name="X", slug="x", latitude=Decimal(latitude), longitude=longitude)
    with pytest.raises(ValidationError) as error:
        site.full_clean()
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    ("latitude", "longitude"), [("90.5", "38"), ("-91", "38"), ("34", "-180.5")]
)
def test_the_database_rejects_coordinates_out_of_range(latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        HeritageSite.objects.create(name="X", slug="x", latitude=latitude, longitude=longitude)


def test_the_database_rejects_monument_coordinates_out_of_range():
    site = make_site()
    with pytest.raises(IntegrityError), transaction.atomic():
        Monument.objects.create(site=site, name="X", slug="x", latitude=95, longitude=0)


def test_it_rejects_half_a_coordinate_pair():
    site = HeritageSite(name="X", slug="x", latitude=Decimal("34.5"))
    with pytest.raises(ValidationError, match="both latitude and longitude"):
        site.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        site.save()


def test_it_accepts_the_extremes_of_the_ranges():
    make_site(latitude=Decimal("-90"), longitude=Decimal("180"))


def test_it_rejects_a_duplicate_unesco_id():
    make_site(unesco_id=23)
    duplicate = HeritageSite(name="Other", slug="other", unesco_id=23)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "unesco_id" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_several_sites_may_be_off_the_list():
    make_site(unesco_id=None)
    make_site(unesco_id=None)
    assert HeritageSite.objects.filter(unesco_id__isnull=True).count() == 2


def test_it_rejects_being_in_danger_before_inscription():
    site = HeritageSite(name="X", slug="x", year_inscribed=1980, in_danger_since=1979)
    with pytest.raises(ValidationError) as error:
        site.full_clean()
    assert "in_danger_since" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        site.save()


@pytest.mark.parametrize("criteria", ["i, ii", "(xi)", "(I)", "(i)(ii"])
def test_it_rejects_criteria_not_written_as_unesco_does(criteria):
    with pytest.raises(ValidationError, match="Roman numerals"):
        HeritageSite(name="X", slug="x", criteria=criteria).full_clean()


def test_it_accepts_unesco_criteria():
    assert make_site(criteria="(i)(ii)(iv)").criteria == "(i)(ii)(iv)"


def test_it_knows_whether_a_site_is_in_danger():
    assert make_site(year_inscribed=1980, in_danger_since=2013).is_in_danger
    assert not make_site(year_inscribed=1980).is_in_danger


def test_it_rejects_a_malformed_wikidata_id_in_the_form_and_the_database():
    site = make_site()
    monument = Monument(site=site, name="Temple", slug="temple", wikidata_id="q12")
    with pytest.raises(ValidationError) as error:
        monument.full_clean()
    assert "wikidata_id" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        monument.save()


def test_it_accepts_a_wikidata_id():
    assert make_monument(wikidata_id="Q5859").wikidata_id == "Q5859"


def test_monument_slugs_are_unique_within_a_site_only():
    site = make_site()
    make_monument(site, slug="temple")
    make_monument(make_site(), slug="temple")
    duplicate = Monument(site=site, name="Temple 2", slug="temple")
    with pytest.raises(ValidationError, match="already has a monument with this slug"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_it_refuses_to_delete_a_site_that_has_monuments():
    monument = make_monument()
    with pytest.raises(ProtectedError):
        monument.site.delete()
    assert HeritageSite.objects.filter(pk=monument.site_id).exists()


def test_it_finds_a_monument_by_an_alternative_name():
    arch = make_monument(name="Monumental Arch", slug="arch")
    AlternativeName.objects.create(monument=arch, name="Arch of Triumph")
    AlternativeName.objects.create(monument=arch, name="Triumphal Arch")
    make_monument(name="Temple of Bel", slug="bel")
    assert list(Monument.objects.matching_name("triumph")) == [arch]


def test_an_alternative_name_is_recorded_once_per_monument():
    arch = make_monument()
    AlternativeName.objects.create(monument=arch, name="Arch of Triumph")
    with pytest.raises(ValidationError, match="already has this alternative name"):
        AlternativeName(monument=arch, name="Arch of Triumph").full_clean()


def test_names_read_naturally():
    site = make_site(name="Site of Palmyra")
    assert str(site) == "Site of Palmyra"
    assert str(make_monument(site, name="Temple of Bel")) == "Temple of Bel (Site of Palmyra)"


def test_half_a_coordinate_pair_is_said_once(admin_client):
    from sites.models import HeritageSite
    from tests.admin_pages import admin_url

    hatra = {
        "name": "Hatra",
        "slug": "hatra",
        "unesco_id": "277",
        "category": "cultural",
        "countries": ["IQ"],
        "monuments-TOTAL_FORMS": "0",
        "monuments-INITIAL_FORMS": "0",
    }
    url = admin_url(HeritageSite, "add")
    response = admin_client.post(url, hatra | {"latitude": "35.5", "longitude": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Give both latitude and longitude, or neither.") == 1
    response = admin_client.post(url, hatra | {"latitude": "1e400", "longitude": "42.7"})
    assert "Give both latitude and longitude" not in response.content.decode()


@pytest.mark.parametrize("language", ["Arabic", "AR", "ar_SY", "a"])
def test_a_name_s_language_is_a_bcp_47_code(language):
    site = make_site()
    with pytest.raises(ValidationError) as error:
        SiteName(site=site, name="تدمر", language=language).full_clean()
    assert "language" in error.value.message_dict


def test_a_page_calls_a_place_by_its_first_name_in_the_page_s_language():
    names = [
        SiteName(name="Tadmur", language="en"),
        SiteName(name="تدمر", language="ar-SY"),
        SiteName(name="تدمر الأثرية", language="ar"),
        SiteName(name="Palmyre", language="fr"),
    ]
    assert name_in("ar", "Site of Palmyra", names) == "تدمر"
    assert name_in("fr", "Site of Palmyra", names) == "Palmyre"
    assert name_in("de", "Site of Palmyra", names) == "Site of Palmyra"
    # English pages keep the usual (UNESCO's English) name, whatever English names it has.
    assert name_in("en", "Site of Palmyra", names) == "Site of Palmyra"
    assert name_in("en-gb", "Site of Palmyra", names) == "Site of Palmyra"
