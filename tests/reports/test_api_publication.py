"""No unpublished report, quote, article or private note reaches the public API: not in lists,
details, counts, nested objects, filters or any format."""

import pytest

from reports.models import DamageReport
from reports.vocabularies import Status
from tests.api_data import PRIVATE_NOTE, SECRET, make_world

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def world():
    return make_world()


def public_urls(world) -> list[str]:
    published = world["published"][0]
    article = published.citations.first().article
    urls = [
        "/",
        "/sites/",
        "/sites/palmyra/",
        "/sites/hidden-valley/",
        "/monuments/",
        "/monuments/palmyra/monumental-arch/",
        "/monuments/palmyra/temple-of-bel/",
        "/reports/",
        f"/reports/{published.pk}/",
        "/sources/",
        f"/sources/{article.pk}/",
    ]
    variants = [f"{url}?format=api" for url in urls]  # the browsable API
    variants += [f"{url}?format=geojson" for url in urls if url.startswith(("/sites", "/mon"))]
    variants += ["/reports/?format=csv"]
    return [API + url for url in urls + variants]


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_no_route_or_format_shows_unpublished_work_or_private_notes(client, world):
    for url in public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        assert SECRET not in text, url
        assert PRIVATE_NOTE not in text, url
        assert "curator_notes" not in text, url
        assert "retraction_reason" not in text, url


@pytest.mark.parametrize(
    "query",
    [
        "damage_type=fire",
        "extent=minor",
        "occurred_after=2016-01-01",
        "monument=palmyra/monumental-arch",
        "search=UNPUBLISHED",
        "site=palmyra",
        "country=SY",
        "in_danger=true",
        "ordering=-published_at",
        "ordering=occurred_on",
    ],
)
def test_no_filter_reaches_unpublished_reports(client, world, query):
    ids = {r["id"] for r in client.get(f"{API}/reports/?{query}&page_size=500").json()["results"]}
    assert ids <= {r.pk for r in world["published"]}
    assert SECRET not in body(client.get(f"{API}/reports/?{query}&format=csv"))


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.REJECTED])
def test_an_unpublished_report_is_not_found(client, world, status):
    report = next(r for r in world["unpublished"] if r.summary.endswith(f"{status} summary"))
    response = client.get(f"{API}/reports/{report.pk}/")
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


def test_a_retracted_report_says_only_that_it_was_retracted(client, world):
    retracted = DamageReport.objects.get(status=Status.RETRACTED)
    response = client.get(f"{API}/reports/{retracted.pk}/")
    assert response.status_code == 410
    assert response.json() == {
        "detail": "This report was retracted by the curators and is no longer published."
    }


def test_a_report_rejected_before_publication_is_a_plain_404(client, world):
    rejected = DamageReport.objects.get(status=Status.REJECTED)
    DamageReport.objects.filter(pk=rejected.pk).update(
        status=Status.RETRACTED, retraction_reason="x", published_at=None
    )
    assert client.get(f"{API}/reports/{rejected.pk}/").status_code == 404


def test_articles_only_unpublished_reports_cite_are_not_sources(client, world):
    for report in world["unpublished"]:
        article = report.citations.get().article
        assert client.get(f"{API}/sources/{article.pk}/").status_code == 404
    titles = [s["title"] for s in client.get(f"{API}/sources/?page_size=500").json()["results"]]
    assert len(titles) == 3
    assert all(SECRET not in title for title in titles)


def test_counts_and_conditions_count_published_reports_only(client, world):
    palmyra = client.get(f"{API}/sites/palmyra/").json()
    # Four unpublished "minor" reports exist on the arch; none is counted.
    assert palmyra["published_reports"] == {
        "none": 0,
        "minor": 0,
        "moderate": 0,
        "severe": 0,
        "destroyed": 2,
        "unknown": 0,
    }
    arch = client.get(f"{API}/monuments/palmyra/monumental-arch/").json()
    assert arch["condition"] == "destroyed"
    assert [entry["id"] for entry in arch["timeline"]] == [world["published"][1].pk]


def test_a_source_lists_only_the_published_reports_citing_it(client, world):
    published = world["published"][0]
    article = published.citations.get().article
    draft = world["unpublished"][0]
    from tests.factories import make_citation

    make_citation(draft, article)  # a draft now cites a public article too
    source = client.get(f"{API}/sources/{article.pk}/").json()
    assert [c["report"]["id"] for c in source["cited_by"]] == [published.pk]
    assert "text" not in source  # the article's full text is not republished
