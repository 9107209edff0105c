"""Corroboration, disputed claims and archived copies: counted in the database, the same in
the API, CSV, pages and admin, and the rules around them."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from reports.models import Citation, DamageReport, SourceArticle
from reports.services import report_publish, report_submit
from reports.vocabularies import Stance, Status
from tests.factories import (
    ARTICLE_TEXT,
    make_article,
    make_citation,
    make_monument,
    make_published_report,
    make_report,
)

pytestmark = pytest.mark.django_db
QUOTES = ARTICLE_TEXT.splitlines()


def corroboration(report: DamageReport) -> tuple[int, int, bool]:
    counted = DamageReport.objects.with_corroboration().get(pk=report.pk)
    return counted.citation_count, counted.source_count, counted.disputed


def test_a_story_reprinted_by_other_outlets_is_one_source():
    agency = make_article(publisher="Associated Press")
    reprint = make_article(publisher="CBS News", republished_from=agency)
    second_reprint = make_article(publisher="The Salt Lake Tribune", republished_from=agency)
    report = make_report()
    for article in (agency, reprint, second_reprint):
        make_citation(report, article)
    assert corroboration(report) == (3, 1, False)
    make_citation(report, make_article(publisher="USA Today"))
    assert corroboration(report) == (4, 2, False)


def test_publishers_are_compared_whatever_their_case_and_spaces_and_no_publisher_is_its_own():
    report = make_report()
    make_citation(report, make_article(publisher="Reuters"))
    make_citation(report, make_article(publisher=" reuters "))
    make_citation(report, make_article(publisher=""))
    make_citation(report, make_article(publisher=""))
    assert corroboration(report) == (4, 3, False)


def test_only_supporting_citations_corroborate_and_a_disputing_one_makes_it_disputed():
    report = make_report()
    make_citation(report, make_article(publisher="A"))
    make_citation(report, make_article(publisher="B"), stance=Stance.DISPUTES)
    make_citation(report, make_article(publisher="C"), stance=Stance.CONTEXT)
    assert corroboration(report) == (3, 1, True)


def test_publishing_needs_a_supporting_citation():
    report = make_report()
    make_citation(report, stance=Stance.DISPUTES)
    report_submit(report=report, by=None)
    with pytest.raises(ValidationError, match="supports it"):
        report_publish(report=report, by=None)
    make_citation(report, quote=QUOTES[1])
    report_publish(report=report, by=None)
    assert report.status == Status.PUBLISHED


def test_the_only_support_of_a_published_report_cannot_stop_supporting_it():
    report = make_published_report()
    citation = report.citations.get()
    citation.stance = Stance.DISPUTES
    with pytest.raises(ValidationError, match="only citation supporting"):
        citation.full_clean()
    with pytest.raises(ValidationError):
        citation.save()
    make_citation(report, quote=QUOTES[1])  # a second support: now it may
    citation.full_clean()
    citation.save()


def test_a_reprint_must_name_an_original_story_not_itself_or_another_reprint():
    agency = make_article(publisher="AP")
    reprint = make_article(republished_from=agency)
    itself = SourceArticle.objects.get(pk=agency.pk)
    itself.republished_from = itself
    with pytest.raises(ValidationError, match="reprint of itself"):
        itself.full_clean()
    chained = make_article()
    chained.republished_from = reprint
    with pytest.raises(ValidationError, match="itself a reprint"):
        chained.full_clean()
    agency.refresh_from_db()
    agency.republished_from = make_article()
    with pytest.raises(ValidationError, match="it is an original"):
        agency.full_clean()


@pytest.mark.parametrize(
    ("address", "captured"),
    [
        (
            "https://web.archive.org/web/20150831120000/https://news.example.org/{n}",
            datetime.datetime(2015, 8, 31, 12, tzinfo=datetime.UTC),
        ),
        ("https://web.archive.org/web/2015/https://news.example.org/{n}", None),
        ("https://archive.ph/AbCd1", None),
        ("https://perma.cc/AB12-CD34", None),
    ],
)
def test_an_archived_copy_is_an_archive_address_whose_capture_time_is_read(address, captured):
    article = make_article()
    article.archive_url = address.format(n=article.url.rsplit("/", 1)[1])
    article.full_clean()
    article.save()
    article.refresh_from_db()
    assert article.archived_at == captured


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("https://example.com/copy", "archived copy"),
        ("https://web.archive.org/web/20151340120000/https://news.example.org/1", "capture time"),
        ("https://web.archive.org/web/20150831120000/https://elsewhere.example/1", "another page"),
        ("ftp://web.archive.org/web/2015/https://news.example.org/1", "archived copy"),
    ],
)
def test_an_address_that_is_no_archived_copy_of_the_article_is_a_form_error(address, says):
    article = make_article()
    article.archive_url = address
    with pytest.raises(ValidationError, match=says):
        article.full_clean()


def test_the_api_csv_and_page_show_corroboration_stances_and_archived_copies(client, demo):
    bel = DamageReport.objects.get(monument__slug="temple-of-bel", occurred_on="2015-08-30")
    shown = client.get(f"/api/v1/reports/{bel.pk}/").json()
    assert (shown["citation_count"], shown["source_count"], shown["disputed"]) == (3, 2, True)
    assert not shown["single_source"]
    stances = [c["stance"] for c in shown["citations"]]
    assert stances == ["supports", "disputes", "supports"]
    (denial,) = [c for c in shown["citations"] if c["stance"] == "disputes"]
    assert denial["article"]["archive_url"].startswith("https://web.archive.org/web/2015/")
    (row,) = csv.DictReader(
        io.StringIO(client.get(f"/api/v1/reports/{bel.pk}/?format=csv").content.decode())
    )
    assert (row["source_count"], row["disputed"], row["stances"]) == (
        "2",
        "true",
        "supports | disputes | supports",
    )
    page = client.get(f"/reports/{bel.pk}/").content.decode()
    assert "Sources that dispute it" in page and "the temple is still there" in page
    assert "archived copy" in page and "disputed" in page
    elahbel = DamageReport.objects.get(monument__slug="tower-of-elahbel")
    page = client.get(f"/reports/{elahbel.pk}/").content.decode()
    assert "reprint of" in page and "2 independent sources" in page
    seed = DamageReport.objects.filter(monument__slug="monumental-arch").get()
    assert "one source" in client.get(f"/reports/{seed.pk}/").content.decode()
    assert "one source" in client.get("/sites/palmyra/").content.decode()


def test_the_api_filters_by_sources_and_dispute(client, demo):
    def ids(**query) -> set[int]:
        response = client.get("/api/v1/reports/", query | {"page_size": 100})
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    everything = ids()
    two = ids(min_sources=2)
    assert len(two) == 2 and two < everything
    disputed = ids(disputed="true")
    assert len(disputed) == 1 and disputed < two
    assert ids(disputed="false") == everything - disputed
    assert ids(min_sources=3) == set()
    for bad in ("0", "1001", "x", "1.5"):
        assert client.get("/api/v1/reports/", {"min_sources": bad}).status_code == 400


def test_the_admin_flags_single_source_and_disputed_reports_and_lists_what_to_archive(
    admin_client, demo
):
    page = admin_client.get("/admin/reports/damagereport/").content.decode()
    assert "1 (one source)" in page and "2 (disputed)" in page
    one = admin_client.get("/admin/reports/damagereport/?corroboration=one-source")
    assert len(one.context["cl"].result_list) == 7
    disputed = admin_client.get("/admin/reports/damagereport/?corroboration=disputed")
    assert len(disputed.context["cl"].result_list) == 1
    to_archive = admin_client.get("/admin/reports/damagereport/?archived=missing")
    assert len(to_archive.context["cl"].result_list) == 9  # each cites an unarchived source
    articles = admin_client.get("/admin/reports/sourcearticle/?archived=missing")
    assert len(articles.context["cl"].result_list) == 6
    draft = make_report(monument=make_monument())
    make_citation(draft, make_article(title="Cited only by a draft"))
    articles = admin_client.get("/admin/reports/sourcearticle/?archived=missing")
    assert "Cited only by a draft" not in articles.content.decode()


def test_the_feed_of_changes_lists_a_stance_change_of_a_published_report(demo):
    from reports.models import PublicChange

    bel = DamageReport.objects.get(monument__slug="temple-of-bel", occurred_on="2015-08-30")
    before = PublicChange.objects.filter(report=bel).count()
    citation = Citation.objects.get(report=bel, stance=Stance.DISPUTES)
    citation.stance = Stance.CONTEXT
    citation.full_clean()
    citation.save()
    assert PublicChange.objects.filter(report=bel).count() == before + 1


def test_an_archived_copy_s_time_reads_the_same_from_either_database(client):
    article = make_article(publisher="Reuters")
    article.archive_url = f"https://web.archive.org/web/20150831120000/{article.url}"
    article.full_clean()
    article.save()
    report = make_published_report(monument=make_monument())
    make_citation(report, article, quote=QUOTES[1])
    (_, cited) = client.get(f"/api/v1/reports/{report.pk}/").json()["citations"]
    assert cited["article"]["archived_at"] == "2015-08-31T12:00:00Z"
    assert client.get(f"/api/v1/sources/{article.pk}/").json()["archived_at"] == (
        "2015-08-31T12:00:00Z"
    )


def test_the_api_s_counts_are_the_database_s_for_every_report(client, demo):
    """The API reads the citation count and the dispute from the report's citation rows, the
    database counts them for filters and the admin: the same rule, the same answers."""
    counted = {
        r.pk: (r.citation_count, r.source_count, r.disputed)
        for r in DamageReport.objects.public().with_corroboration()
    }
    shown = client.get("/api/v1/reports/", {"page_size": 100}).json()["results"]
    assert {r["id"]: (r["citation_count"], r["source_count"], r["disputed"]) for r in shown} == (
        counted
    )
