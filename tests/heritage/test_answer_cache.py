"""The public API keeps its answers, filed under the public data version: a repeated request
costs one query, and any change to public data shows at once. These tests commit their
transactions (the version only grows when a change commits)."""

import pytest
from django.core.cache import caches
from django.db import transaction

from reports.models import DamageReport, Evidence, PublicDataVersion
from reports.services import report_publish, report_submit, report_transition
from reports.vocabularies import Status
from sites.models import HeritageSite
from tests.factories import make_article, make_citation, make_report

API = "/api/v1"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def answer_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    caches["api"].clear()
    yield
    caches["api"].clear()


def report_ids(client) -> list[int]:
    return [report["id"] for report in client.get(f"{API}/reports/").json()["results"]]


def test_a_repeated_request_is_answered_from_the_cache_with_one_query(
    client, demo, django_assert_num_queries
):
    first = client.get(f"{API}/reports/")
    with django_assert_num_queries(1):  # the data version
        again = client.get(f"{API}/reports/")
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["ETag"] == first["ETag"]
    assert "max-age" in again["Cache-Control"]
    # The ETag still answers a conditional request with 304.
    assert client.get(f"{API}/reports/", HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_a_publication_shows_at_once(client, demo, reviewer):
    before = report_ids(client)
    palmyra = HeritageSite.objects.get(slug="palmyra")
    report = make_report(palmyra, summary="The theatre's stage was damaged.")
    make_citation(report)
    assert report_ids(client) == before  # a draft changes nothing public
    report_submit(report=report, by=None)
    report_publish(report=report, by=reviewer)
    assert report.pk in report_ids(client)
    assert len(report_ids(client)) == len(before) + 1


def test_a_retraction_shows_at_once_in_lists_and_details(client, demo, reviewer):
    report = DamageReport.objects.public().first()
    assert client.get(f"{API}/reports/{report.pk}/").status_code == 200
    assert report.pk in report_ids(client)
    report_transition(report=report, to=Status.RETRACTED, by=reviewer, reason="Misdated.")
    assert client.get(f"{API}/reports/{report.pk}/").status_code == 410
    assert report.pk not in report_ids(client)


def test_a_renamed_site_shows_at_once(client, demo):
    assert client.get(f"{API}/sites/palmyra/").json()["name"] == "Site of Palmyra"
    palmyra = HeritageSite.objects.get(slug="palmyra")
    palmyra.name = "Palmyra"
    palmyra.save()
    assert client.get(f"{API}/sites/palmyra/").json()["name"] == "Palmyra"
    assert {s["name"] for s in client.get(f"{API}/sites/").json()["results"]} >= {"Palmyra"}


def test_answers_are_kept_per_host_and_format(client, demo):
    json_answer = client.get(f"{API}/sites/")
    geojson = client.get(f"{API}/sites/", {"format": "geojson"})
    assert geojson.json()["type"] == "FeatureCollection"
    other_host = client.get(f"{API}/sites/", HTTP_HOST="localhost")
    assert b"http://localhost/" in other_host.content
    assert b"http://localhost/" not in json_answer.content


def test_throttling_applies_to_kept_answers_too(client, demo, settings):
    client.get(f"{API}/reports/")  # computed, kept, and counted by the throttle
    settings.API_THROTTLE_RATE = "2/minute"
    statuses = [client.get(f"{API}/reports/").status_code for _ in range(3)]
    assert statuses == [200, 429, 429]


def test_the_version_grows_once_per_transaction_and_not_on_rollback(demo):
    start = PublicDataVersion.current()
    with transaction.atomic():
        for site in HeritageSite.objects.all():
            site.save()
    assert PublicDataVersion.current() == start + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        HeritageSite.objects.first().save()
        raise RuntimeError("rolled back")
    assert PublicDataVersion.current() == start + 1
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint rolled back, then a change that commits
                HeritageSite.objects.first().save()
                raise RuntimeError
        except RuntimeError:
            pass
        HeritageSite.objects.last().save()
    assert PublicDataVersion.current() == start + 2


def test_drafts_their_citations_and_photos_do_not_move_the_version(demo):
    palmyra = HeritageSite.objects.get(slug="palmyra")
    start = PublicDataVersion.current()
    report = make_report(palmyra, summary="The theatre's stage was damaged.")
    citation = make_citation(report)
    photo = Evidence.objects.create(
        report=report, caption="The stage.", credit="APSA", licence=Evidence.Licence.CC0,
        sha256="0" * 64, extension="jpg", width=1, height=1,
    )  # fmt: skip
    report.summary = "The theatre's stage and columns were damaged."
    report.save()
    citation.location = "paragraph 2"
    citation.save()
    photo.caption = "The stage, in 2016."
    photo.save()
    report_submit(report=report, by=None)  # in review: still not public
    make_article(title="Not cited by anything public").save()
    citation.delete()
    assert PublicDataVersion.current() == start


def test_publishing_editing_and_retracting_move_the_version(demo, reviewer):
    palmyra = HeritageSite.objects.get(slug="palmyra")
    report = make_report(palmyra, summary="The theatre's stage was damaged.")
    citation = make_citation(report)
    report_submit(report=report, by=None)
    start = PublicDataVersion.current()
    report_publish(report=report, by=reviewer)
    assert PublicDataVersion.current() == start + 1
    citation.location = "paragraph 2"
    citation.save()
    assert PublicDataVersion.current() == start + 2
    citation.article.title = "A better title"
    citation.article.save()  # cited by a published report
    assert PublicDataVersion.current() == start + 3
    report_transition(report=report, to=Status.RETRACTED, by=reviewer, reason="Misdated.")
    assert PublicDataVersion.current() == start + 4


def test_renaming_a_site_moves_the_version_once_and_refreshes_search(demo):
    palmyra = HeritageSite.objects.get(slug="palmyra")
    start = PublicDataVersion.current()
    with transaction.atomic():
        palmyra.name = "Tadmur"
        palmyra.save()
        assert not DamageReport.objects.search("tadmur").exists()  # on commit
    assert PublicDataVersion.current() == start + 1
    assert DamageReport.objects.search("tadmur").count() == palmyra.damage_reports.count() > 0


def test_indented_and_compact_json_are_kept_apart(client, demo):
    compact = client.get(f"{API}/reports/", HTTP_ACCEPT="application/json")
    indented = client.get(f"{API}/reports/", HTTP_ACCEPT="application/json; indent=4")
    again = client.get(f"{API}/reports/", HTTP_ACCEPT="application/json")
    assert b"\n    " not in compact.content
    assert indented.content.startswith(b'{\n    "next"')
    assert again.content == compact.content
    assert client.get(f"{API}/reports/", HTTP_ACCEPT="application/json; indent=4").content == (
        indented.content
    )
    assert indented["ETag"] != compact["ETag"]
    geojson = client.get(f"{API}/sites/?format=geojson", HTTP_ACCEPT="application/geo+json")
    geojson_indented = client.get(
        f"{API}/sites/?format=geojson", HTTP_ACCEPT="application/geo+json; indent=2"
    )
    assert geojson_indented.content != geojson.content


def test_the_csv_etag_changes_when_curators_publish(client, demo, reviewer):
    url = f"{API}/reports/?format=csv"
    etag = client.get(url)["ETag"]
    palmyra = HeritageSite.objects.get(slug="palmyra")
    report = make_report(palmyra, summary="The theatre's stage was damaged.")
    make_citation(report)
    report_submit(report=report, by=None)
    report_publish(report=report, by=reviewer)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"The theatre's stage was damaged." in b"".join(response.streaming_content)


def map_points(client, path: str = "/") -> list[dict]:
    import json
    import re

    html = client.get(path).content.decode()
    found = re.search(r'<script id="map-points" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1)) if found else []


def test_the_home_map_is_kept_and_shows_a_new_site_s_first_publication_at_once(
    client, demo, reviewer
):
    before = {point["name"] for point in map_points(client)}
    assert "Site of Palmyra" in before
    assert "تدمر" in {point["name"] for point in map_points(client, "/ar/")}  # kept per language
    hatra = HeritageSite.objects.create(
        name="Hatra", slug="hatra", latitude="35.588", longitude="42.718"
    )
    assert {point["name"] for point in map_points(client)} == before  # no report yet
    report = make_report(hatra, summary="Hatra's temples were damaged.")
    make_citation(report)
    report_submit(report=report, by=None)
    report_publish(report=report, by=reviewer)
    assert "Hatra" in {point["name"] for point in map_points(client)}
    assert "Hatra" in {point["name"] for point in map_points(client, "/ar/")}
