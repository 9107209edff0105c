import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from heritage.jobs.models import Job
from heritage.jobs.services import job_start
from reports.images import clean_upload
from reports.models import DamageReport, Evidence
from reports.services import evidence_attach
from sites.models import HeritageSite, Monument
from tests.admin_pages import admin_url, filter_query_strings, registered_models
from tests.heritage.test_jobs import whc_export
from tests.images import jpeg

pytestmark = pytest.mark.django_db

MODELS = registered_models()


def ids(model) -> str:
    return model._meta.label


@pytest.mark.parametrize("model", MODELS, ids=ids)
def test_every_page_answers_a_superuser(admin_client, demo, model):
    Group.objects.create(name="curators")
    report = model.objects.first() if model is not Evidence else None
    if model is Evidence:
        report = DamageReport.objects.first()
        evidence_attach(
            report=report, image=clean_upload(jpeg()), caption="c", credit="c", licence="cc0-1.0"
        )
    if model is Job:
        job_start(kind="whc_import", by=None, uploads=[ContentFile(whc_export(1), name="w.xml")])
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    # Jobs are started by their own pages, never added by a form.
    added = 403 if model is Job else 200
    assert admin_client.get(admin_url(model, "add")).status_code == added
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=ids)
def test_an_anonymous_visitor_is_sent_to_the_login(client, demo, model):
    for url in (admin_url(model, "changelist"), admin_url(model, "add")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


@pytest.mark.parametrize("model", MODELS, ids=ids)
def test_every_changelist_searches_and_filters(admin_client, demo, model):
    url = admin_url(model, "changelist")
    assert admin_client.get(url, {"q": "Palmyra"}).status_code == 200
    assert admin_client.get(url, {"q": "23"}).status_code == 200
    response = admin_client.get(url)
    for query_string in filter_query_strings(response):
        assert admin_client.get(url + query_string).status_code == 200, query_string


def test_searching_bel_finds_the_temple_of_bel(admin_client, demo):
    response = admin_client.get(admin_url(Monument, "changelist"), {"q": "Bel"})
    names = [monument.name for monument in response.context["cl"].result_list]
    assert "Temple of Bel" in names


def test_searching_an_alternative_name_finds_the_monument(admin_client, demo):
    response = admin_client.get(admin_url(Monument, "changelist"), {"q": "Arch of Triumph"})
    assert [m.name for m in response.context["cl"].result_list] == ["Monumental Arch"]


def test_the_country_filter_narrows_sites(admin_client, demo):
    from tests.factories import make_site

    make_site(name="Old City of Jerusalem", countries=["IL"])
    response = admin_client.get(admin_url(HeritageSite, "changelist"), {"country": "SY"})
    names = {site.name for site in response.context["cl"].result_list}
    assert names == {"Site of Palmyra", "Ancient City of Aleppo"}


def test_the_danger_filter_narrows_sites(admin_client, demo):
    from tests.factories import make_site

    make_site(name="Safe Site", year_inscribed=1990)
    url = admin_url(HeritageSite, "changelist")
    in_danger = admin_client.get(url, {"in_danger": "yes"}).context["cl"].result_list
    safe = admin_client.get(url, {"in_danger": "no"}).context["cl"].result_list
    assert {s.name for s in in_danger} == {"Site of Palmyra", "Ancient City of Aleppo"}
    assert [s.name for s in safe] == ["Safe Site"]


def test_a_site_page_lists_its_monuments(admin_client, demo):
    palmyra = HeritageSite.objects.get(slug="palmyra")
    response = admin_client.get(admin_url(HeritageSite, "change", palmyra.pk))
    assert b"Temple of Baalshamin" in response.content


def test_a_curator_sees_a_readable_error_for_bad_coordinates(admin_client):
    response = admin_client.post(
        admin_url(HeritageSite, "add"),
        {
            "name": "Nowhere",
            "slug": "nowhere",
            "category": "cultural",
            "latitude": "95",
            "longitude": "10",
            "other_names-TOTAL_FORMS": "0",
            "other_names-INITIAL_FORMS": "0",
            "monuments-TOTAL_FORMS": "0",
            "monuments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 90." in response.content.decode()
    assert not HeritageSite.objects.filter(slug="nowhere").exists()


def test_a_curator_adds_a_site_with_its_arabic_name_and_a_monument(admin_client):
    response = admin_client.post(
        admin_url(HeritageSite, "add"),
        {
            "name": "Hatra",
            "slug": "hatra",
            "unesco_id": "277",
            "category": "cultural",
            "countries": ["IQ"],
            "year_inscribed": "1985",
            "in_danger_since": "2015",
            "other_names-TOTAL_FORMS": "2",
            "other_names-INITIAL_FORMS": "0",
            "other_names-0-name": "الحضر",
            "other_names-0-language": "ar",
            "other_names-1-name": "Al-Hadr",
            "other_names-1-language": "",
            "monuments-TOTAL_FORMS": "1",
            "monuments-INITIAL_FORMS": "0",
            "monuments-0-name": "Great Temple",
            "monuments-0-slug": "great-temple",
            "monuments-0-kind": "temple",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    hatra = HeritageSite.objects.get(slug="hatra")
    assert [m.name for m in hatra.monuments.all()] == ["Great Temple"]
    assert sorted((n.name, n.language) for n in hatra.other_names.all()) == [
        ("Al-Hadr", ""),
        ("الحضر", "ar"),
    ]


AUTOCOMPLETES = [
    ("reports", "damagereport", "site", "Palmyra", "Site of Palmyra"),
    ("reports", "damagereport", "monument", "Baal", "Temple of Bel (Site of Palmyra)"),
    ("reports", "citation", "article", "Palmyra", "Backed by Russia"),
    ("reports", "citation", "report", "arch", "Monumental Arch"),
    ("sites", "monument", "site", "Aleppo", "Ancient City of Aleppo"),
    ("reports", "evidence", "monument", "Arch of Triumph", "Monumental Arch"),
]


@pytest.mark.parametrize(("app", "model", "field", "term", "expected"), AUTOCOMPLETES)
def test_every_autocomplete_finds_and_orders_its_choices(
    client, editor, reviewer, demo, app, model, field, term, expected
):
    # The demo's reports are published: only a reviewer may add citations to them.
    client.force_login(reviewer if field == "report" else editor)
    response = client.get(
        "/admin/autocomplete/",
        {"term": term, "app_label": app, "model_name": model, "field_name": field},
    )
    assert response.status_code == 200
    texts = [result["text"] for result in response.json()["results"]]
    assert any(text.startswith(expected) for text in texts), texts
