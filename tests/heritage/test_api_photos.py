"""The public photo route, /evidence/<id>/<variant>/: the API's rules outside /api/v1/ (JSON
errors, a short public cache, a strong ETag and 304s)."""

import pytest
from django.test import Client

from reports.images import clean_upload
from reports.models import Evidence
from reports.services import evidence_attach, report_transition
from reports.vocabularies import Status
from tests.factories import make_monument, make_published_report, make_report
from tests.images import jpeg

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "No published photo has this address."}


@pytest.fixture(autouse=True)
def files(media_root):
    return media_root


def attach(report) -> Evidence:
    return evidence_attach(
        report=report,
        image=clean_upload(jpeg()),
        caption="The cella after the blast.",
        credit="A. Photographer",
        licence="cc-by-4.0",
    )


@pytest.fixture
def photo() -> Evidence:
    return attach(make_published_report(monument=make_monument()))


@pytest.mark.parametrize("variant", ["web", "thumbnail"])
def test_a_public_photo_is_cached_as_briefly_as_the_api_with_a_strong_etag(
    client, photo, settings, variant
):
    settings.API_CACHE_MAX_AGE = 45
    for method in ("GET", "HEAD"):
        response = client.generic(method, f"/evidence/{photo.pk}/{variant}/")
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=45"
        assert response["ETag"] == f'"{photo.sha256}-{variant}"'


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_repeated_request_for_a_photo_answers_304(client, photo, method):
    url = f"/evidence/{photo.pk}/web/"
    etag = client.get(url)["ETag"]
    again = client.generic(method, url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=60"
    other = client.generic(method, url, headers={"if-none-match": f'"{photo.sha256}-thumbnail"'})
    assert other.status_code == 200


def test_a_retracted_reports_photo_is_a_404_even_to_a_client_holding_it(client, photo, reviewer):
    url = f"/evidence/{photo.pk}/web/"
    etag = client.get(url)["ETag"]
    report_transition(report=photo.report, to=Status.RETRACTED, by=reviewer, reason="Wrong.")
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_a_curators_photo_is_kept_private(client, editor):
    evidence = attach(make_report(monument=make_monument(), status=Status.DRAFT))
    client.force_login(editor)
    response = client.get(f"/evidence/{evidence.pk}/web/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_every_photo_404_is_the_same_json(client, photo):
    unpublished = attach(make_report(monument=make_monument(), status=Status.IN_REVIEW))
    for path in [
        f"/evidence/{photo.pk}/original/",
        f"/evidence/{photo.pk}/secret/",
        f"/evidence/{unpublished.pk}/web/",
        "/evidence/999999999/web/",
        "/evidence/abc/web/",
        "/evidence/1/",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert response.json() == NOT_FOUND, path


def test_a_write_to_a_photo_is_a_405_not_a_csrf_page(photo):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/evidence/{photo.pk}/web/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"detail": 'Method "POST" not allowed.'}
