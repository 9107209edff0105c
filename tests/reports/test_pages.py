"""The public pages, through Django's test client: every page in English and Arabic, what they
must never show (drafts, private notes, article texts, a sensitive site's exact coordinates),
the retracted report's 410, the Atom feeds, and a constant number of queries per page."""

import datetime
from decimal import Decimal

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import DamageReport
from reports.services import report_save
from reports.vocabularies import Status
from sites.models import HeritageSite
from tests.factories import make_many_published_reports

pytestmark = pytest.mark.django_db


def page_urls() -> list[str]:
    report = DamageReport.objects.public().order_by("pk").first()
    article = report.citations.first().article
    return [
        "/",
        "/sites/",
        "/sites/?country=SY&in_danger=1&damaged=1",
        "/sites/palmyra/",
        "/sites/palmyra/temple-of-bel/",
        "/sites/aleppo/citadel/",
        f"/reports/{report.pk}/",
        f"/sources/{article.pk}/",
        "/search/",
        "/search/?q=temple&damage_type=explosives&occurred_after=2015-01-01",
        "/feeds/reports.atom",
        "/feeds/sites/palmyra.atom",
    ]


@pytest.mark.parametrize("language", ["", "/ar"])
def test_every_page_answers_in_english_and_arabic(client, demo, language):
    for url in page_urls():
        response = client.get(f"{language}{url}")
        assert response.status_code == 200, url
        if not url.startswith("/feeds/"):
            html = response.content.decode()
            if language:
                assert '<html lang="ar" dir="rtl">' in html, url
            else:
                assert '<html lang="en-gb" dir="ltr">' in html, url


def test_the_arabic_pages_name_places_in_arabic_first(client, demo):
    html = client.get("/ar/sites/palmyra/temple-of-bel/").content.decode()
    assert "<h1>معبد بل</h1>" in html
    assert "تدمر" in html
    english = client.get("/sites/palmyra/temple-of-bel/").content.decode()
    assert "<h1>Temple of Bel</h1>" in english


def test_a_retracted_report_answers_410_saying_when_and_why_and_nothing_else(
    client, demo, reviewer
):
    report = DamageReport.objects.public().order_by("pk").first()
    summary = report.summary
    report_save(report=report, by=reviewer, to=Status.RETRACTED, reason="Wrong monument.")
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "Wrong monument." in html
    assert summary not in html
    assert client.get("/reports/999999/").status_code == 404


def test_drafts_notes_and_article_texts_appear_on_no_page(client, demo, editor):
    published = DamageReport.objects.public().order_by("pk").first()
    published.curator_notes = "PRIVATE-NOTE-42"
    published.save()
    draft = DamageReport.objects.create(
        site=published.site,
        occurred_on=datetime.date(2016, 1, 1),
        damage_type=published.damage_type,
        extent=published.extent,
        summary="DRAFT-SUMMARY-42",
    )
    article = published.citations.first().article
    secret_text = article.text[-200:]
    for url in [*page_urls(), f"/reports/{draft.pk}/"]:
        response = client.get(url)
        body = response.content.decode()
        assert "PRIVATE-NOTE-42" not in body, url
        assert "DRAFT-SUMMARY-42" not in body, url
        assert secret_text not in body, url
    assert client.get(f"/reports/{draft.pk}/").status_code == 404


def test_a_sensitive_site_s_exact_coordinates_are_in_no_page_s_bytes(client, demo):
    palmyra = HeritageSite.objects.get(slug="palmyra")
    palmyra.location_is_sensitive = True
    palmyra.latitude, palmyra.longitude = Decimal("34.554167"), Decimal("38.266667")
    palmyra.save()
    for url in page_urls():
        body = client.get(url).content.decode()
        for exact in ("34.554167", "38.266667", "34.5541", "38.2666", "34.5475", "38.2744"):
            assert exact not in body, (url, exact)


def test_the_atom_feed_parses_and_lists_a_retraction(client, demo, reviewer):
    report = DamageReport.objects.public().order_by("pk").first()
    report_save(report=report, by=reviewer, to=Status.RETRACTED, reason="Duplicate.")
    feed = feedparser.parse(client.get("/feeds/reports.atom").content)
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert any(title.startswith(f"Retracted: report {report.pk}") for title in titles)
    assert len(feed.entries) == DamageReport.objects.public().count() + 1


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries.captured_queries)


def urls_of(site: HeritageSite) -> list[str]:
    report = DamageReport.objects.public().filter(site=site, monument__isnull=False).first()
    article = report.citations.order_by("pk").first().article
    return [
        f"/sites/{site.slug}/",
        f"/sites/{site.slug}/{report.monument.slug}/",
        f"/reports/{report.pk}/",
        f"/sources/{article.pk}/",
        f"/feeds/sites/{site.slug}.atom",
    ]


def test_every_page_makes_the_same_number_of_queries_however_many_reports(client, demo):
    few = {url: query_count(client, url) for url in ["/", "/sites/", "/search/?q=blown"]}
    palmyra = [
        query_count(client, url) for url in urls_of(HeritageSite.objects.get(slug="palmyra"))
    ]
    busy = make_many_published_reports(120)  # 120 reports on 30 monuments, 121 articles
    assert [query_count(client, url) for url in urls_of(busy)] == palmyra
    assert {url: query_count(client, url) for url in few} == few
    assert max([*palmyra, *few.values()]) <= 12


BAD_INPUTS = [
    "/search/?page=0",
    "/search/?page=-1",
    "/search/?page=abc",
    "/search/?page=99999999999999",
    "/search/?q=temple&page=%C2%B2",
    "/sites/?page=%C2%B2",
    "/search/?q=temple&page=999",
    "/search/?occurred_after=not-a-date",
    "/search/?occurred_before=2015-02-30",
    "/search/?damage_type=nope",
    "/search/?extent=destroyed&extent=nope",
    "/search/?site=nowhere",
    "/search/?monument=palmyra/nothing",
    "/search/?monument=no-slash",
    "/search/?country=ZZZZ",
    "/search/?q=%00",
    "/search/?q=" + "a" * 5000,
    "/search/?unesco_id=99999999999999999999999",
    "/sites/?page=abc",
    "/sites/?page=0",
    "/sites/?page=99999",
    "/sites/?country=%3Cscript%3E",
    "/sites/?in_danger=maybe",
    "/sites/nowhere/",
    "/sites/palmyra/nothing/",
    "/reports/99999999999999999999999/",
    "/reports/0/",
    "/sources/99999999999999999999999/",
    "/feeds/sites/nowhere.atom",
]


@pytest.mark.parametrize("language", ["", "/ar"])
def test_bad_input_to_a_page_is_a_4xx_or_a_form_error_never_a_500(client, demo, language):
    for url in BAD_INPUTS:
        response = client.get(f"{language}{url}")
        assert response.status_code in (200, 400, 404), (url, response.status_code)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_pages_are_read_only(client, demo, method):
    for url in ["/", "/sites/", "/sites/palmyra/", "/search/", "/feeds/reports.atom"]:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)


def test_a_name_with_markup_is_shown_as_text_in_the_timeline_and_everywhere(client, demo):
    from sites.models import Monument

    bel = Monument.objects.get(slug="temple-of-bel")
    bel.name = "<b>Bel</b>"
    bel.save()
    html = client.get("/sites/palmyra/").content.decode()
    assert "<b>Bel</b>" not in html
    assert "&lt;b&gt;Bel&lt;/b&gt;" in html


def test_a_page_s_scripts_and_styles_are_under_300_kb_gzipped_and_all_our_own(client, demo):
    import gzip
    import re

    from django.contrib.staticfiles import finders

    for url in ["/", "/sites/palmyra/", "/sites/palmyra/temple-of-bel/"]:
        html = client.get(url).content.decode()
        assets = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', html)
        assert assets and all(asset.startswith("/static/") for asset in assets), assets
        total = 0
        for asset in assets:
            path = finders.find(asset.removeprefix("/static/"))
            total += len(gzip.compress(open(path, "rb").read()))
        assert total < 300_000, (url, total)


def test_the_sites_page_filters_as_the_api_does(client, demo):
    html = client.get("/sites/?country=sy&in_danger=1").content.decode()
    assert "Site of Palmyra" in html
    assert "Site of Palmyra" not in client.get("/sites/?country=IQ").content.decode()
    # A part of a code matches nothing, and says why.
    refused = client.get("/sites/?country=Y")
    assert refused.status_code == 200
    assert "Site of Palmyra" not in refused.content.decode()
    assert 'class="errors"' in refused.content.decode()


def test_a_search_s_refused_values_are_said_by_their_field_s_label_in_the_page_s_language(
    client, demo
):
    html = client.get("/search/?occurred_after=someday").content.decode()
    assert "From (YYYY-MM-DD): Enter a valid date." in html
    arabic = client.get("/ar/search/?occurred_after=someday").content.decode()
    assert "من (YYYY-MM-DD)" in arabic and "Enter a valid date." not in arabic


def test_arabic_pages_and_feeds_name_places_in_arabic_and_date_in_arabic(client, demo):
    report = DamageReport.objects.public().filter(monument__slug="temple-of-bel").first()
    html = client.get(f"/ar/reports/{report.pk}/").content.decode()
    assert "تدمر" in html and "معبد بل" in html
    feed = feedparser.parse(client.get("/ar/feeds/sites/palmyra.atom").content)
    assert "تدمر" in feed.feed.title
    bel = next(
        entry for entry in feed.entries if "معبد بل" in entry.title and "مايو" in entry.title
    )
    assert "مايو" in bel.title
    assert bel.id.startswith("tag:heritage-damage-tracker,2026:report-")
    english = feedparser.parse(client.get("/feeds/sites/palmyra.atom").content)
    assert {e.id for e in english.entries} == {e.id for e in feed.entries}  # one id whatever


def test_an_unknown_address_is_a_page_in_the_reader_s_language(client, demo):
    response = client.get("/ar/reports/0/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "البحث في التقارير" in html  # the page's navigation, in Arabic


def test_a_search_for_a_site_s_arabic_name_finds_its_reports(client, demo):
    html = client.get("/ar/search/?q=تدمر").content.decode()
    assert "لا يوجد تقرير منشور مطابق" not in html
    assert client.get("/api/v1/reports/", {"search": "تدمر"}).json()["results"]


def test_a_page_s_api_link_carries_only_what_the_api_takes(client, demo):
    import re

    html = client.get("/sites/?country=SY&damaged=1&page=1").content.decode()
    api = re.search(r'href="(/api/v1/sites/[^"]*)">This page in the API', html).group(1)
    assert api == "/api/v1/sites/?country=SY"
    assert client.get(api).status_code == 200
    html = client.get("/search/?q=temple&utm_source=x&extent=destroyed").content.decode()
    for link in re.findall(r'href="(/api/v1/reports/[^"]*)"', html):
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_a_search_with_a_null_character_finds_nothing_and_says_why(client, demo):
    html = client.get("/search/", {"q": "temple\x00"}).content.decode()
    assert "Null characters are not allowed." in html
    assert "Blown up" not in html


def test_a_retraction_keeps_its_date_when_the_report_is_edited_later(client, demo, reviewer):
    import datetime as dt

    report = DamageReport.objects.public().order_by("pk").first()
    report_save(report=report, by=reviewer, to=Status.RETRACTED, reason="Wrong monument.")
    report.refresh_from_db()
    withdrawn = report.retracted_at
    assert withdrawn is not None
    DamageReport.objects.filter(pk=report.pk).update(
        curator_notes="checked again", updated_at=withdrawn + dt.timedelta(days=400)
    )
    feed = feedparser.parse(client.get("/feeds/reports.atom").content)
    entry = next(e for e in feed.entries if e.id.endswith(f"report-{report.pk}-retracted"))
    assert entry.updated.startswith(withdrawn.strftime("%Y-%m-%d"))
    published = next(e for e in feed.entries if e.id.endswith("-published"))
    assert published.updated  # a publication's own date
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert withdrawn.strftime("%Y") in html and "2027" not in html
