import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from reports.models import Citation, DamageReport, SourceArticle
from reports.services import report_publish, report_submit
from reports.vocabularies import DatePrecision, Status
from tests.factories import (
    make_article,
    make_citation,
    make_monument,
    make_published_report,
    make_report,
    make_site,
)

pytestmark = pytest.mark.django_db


def test_it_rejects_a_monument_of_another_site():
    palmyra = make_site(name="Site of Palmyra")
    aleppo = make_site(name="Ancient City of Aleppo")
    mosque = make_monument(aleppo, name="Great Mosque of Aleppo")
    report = DamageReport(
        site=palmyra,
        monument=mosque,
        occurred_on=datetime.date(2015, 8, 30),
        damage_type="explosives",
        summary="Blown up.",
    )
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert error.value.message_dict["monument"] == [
        "Great Mosque of Aleppo is in Ancient City of Aleppo, not in Site of Palmyra. "
        "Choose a monument of Site of Palmyra, or change the site."
    ]
    # Code that skips the form is refused too.
    with pytest.raises(ValidationError):
        report.save()
    assert not DamageReport.objects.exists()


def test_it_refuses_to_publish_a_report_without_a_citation():
    report = make_report()
    report_submit(report=report, by=None)
    with pytest.raises(ValidationError, match="at least one source article"):
        report_publish(report=report, by=None)
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW
    assert report.published_at is None


def test_saving_a_new_report_as_published_is_refused():
    with pytest.raises(ValidationError, match="at least one source article"):
        make_report(status=Status.PUBLISHED)
    assert not DamageReport.objects.exists()


def test_a_reviewer_publishes_a_report_with_a_citation(editor, reviewer):
    report = make_report()
    make_citation(report)
    report_submit(report=report, by=editor)
    report_publish(report=report, by=reviewer)
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED
    assert report.published_at is not None
    assert report.updated_by == reviewer
    assert list(DamageReport.objects.public()) == [report]


def test_only_published_reports_are_public():
    published = make_published_report()
    make_report(status=Status.DRAFT)
    make_report(status=Status.IN_REVIEW)
    make_report(status=Status.REJECTED)
    retracted = make_published_report()
    retracted.status = Status.RETRACTED
    retracted.retraction_reason = "The source withdrew the claim."
    retracted.save()
    assert list(DamageReport.objects.public()) == [published]


def test_a_retraction_needs_a_reason():
    report = make_published_report()
    report.status = Status.RETRACTED
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "retraction_reason" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()


@pytest.mark.parametrize("quote", ["", "   \n\t "])
def test_it_rejects_an_empty_quote(quote):
    report, article = make_report(), make_article()
    with pytest.raises(ValidationError) as error:
        Citation(report=report, article=article, quote=quote).full_clean()
    assert "quote" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(report=report, article=article, quote=quote)


def test_it_rejects_a_quote_that_is_not_in_the_article():
    with pytest.raises(ValidationError, match="not in the article's text"):
        make_citation(make_report(), quote="Militants blew up the castle.")


def test_it_finds_a_quote_whatever_its_quotation_marks_and_line_breaks():
    citation = make_citation(make_report(), quote='The "great gate" of the\n   sanctuary')
    assert citation.location == "paragraph 2"


def test_it_says_when_a_quote_spans_paragraphs():
    citation = make_citation(make_report(), quote="witnesses said. The “great gate”")
    assert citation.location == "paragraphs 1-2"


def test_a_curators_location_is_kept():
    citation = make_citation(make_report(), location="page 3")
    assert citation.location == "page 3"


def test_an_article_without_text_can_be_cited_with_any_quote():
    article = make_article(text="")
    citation = make_citation(make_report(), article, quote="Printed edition, page 3.")
    assert citation.location == ""


def test_it_rejects_the_same_quote_twice_on_one_report():
    report, article = make_report(), make_article()
    make_citation(report, article)
    duplicate = Citation(
        report=report,
        article=article,
        quote="Militants blew up the ancient temple on Sunday, witnesses said.",
    )
    with pytest.raises(ValidationError, match="already cites this passage"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_very_long_quote_can_be_cited():
    long_paragraph = "Stone after stone was carried away. " * 400  # about 14,000 characters
    article = make_article(text=long_paragraph)
    citation = make_citation(make_report(), article, quote=long_paragraph)
    assert len(citation.quote) > 10_000


def test_it_refuses_to_delete_a_cited_article():
    citation = make_citation(make_report())
    with pytest.raises(ProtectedError):
        citation.article.delete()
    assert SourceArticle.objects.filter(pk=citation.article_id).exists()


def test_it_refuses_to_delete_a_site_that_reports_depend_on():
    report = make_report()
    with pytest.raises(ProtectedError):
        report.site.delete()


def test_it_refuses_to_delete_the_only_citation_of_a_published_report():
    report = make_published_report()
    citation = report.citations.get()
    with pytest.raises(ValidationError, match="only citation supporting a published report"):
        citation.delete()
    assert report.citations.count() == 1
    make_citation(report, quote="Looters had already dug dozens of pits across the site.")
    citation.delete()
    assert report.citations.count() == 1


def test_it_normalises_article_urls_so_the_same_article_is_not_recorded_twice():
    article = make_article(url="HTTPS://News.Example.org:443/story?id=7&utm_source=x#top")
    assert article.url == "https://news.example.org/story?id=7"
    duplicate = SourceArticle(
        title="Copy", url="https://news.example.org/story?id=7&fbclid=abc", text="Other."
    )
    with pytest.raises(ValidationError, match="URL is already recorded"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_it_recognises_the_same_text_saved_twice():
    article = make_article(text="Line one.\r\nLine   two.  \n")
    assert len(article.text_sha256) == 64
    copy = SourceArticle(
        title="Copy", url="https://other.example.org/1", text="Line one.\nLine two."
    )
    with pytest.raises(ValidationError, match="exactly this text is already recorded"):
        copy.full_clean()


def test_articles_without_url_or_text_do_not_collide():
    make_article(url="", text="")
    make_article(url="", text="")
    assert SourceArticle.objects.filter(url="", text_sha256="").count() == 2


@pytest.mark.parametrize(
    ("precision", "given", "stored", "shown"),
    [
        (
            DatePrecision.DAY,
            datetime.date(2015, 8, 30),
            datetime.date(2015, 8, 30),
            "30 August 2015",
        ),
        (DatePrecision.MONTH, datetime.date(2015, 5, 21), datetime.date(2015, 5, 1), "May 2015"),
        (DatePrecision.YEAR, datetime.date(2015, 5, 21), datetime.date(2015, 1, 1), "2015"),
    ],
)
def test_it_keeps_the_precision_of_the_event_date(precision, given, stored, shown):
    report = make_report(occurred_on=given, occurred_on_precision=precision)
    report.refresh_from_db()
    assert report.occurred_on == stored
    assert report.occurred_display == shown


def test_a_period_shows_both_ends_and_inherits_the_precision():
    report = make_report(
        occurred_on=datetime.date(2016, 12, 26), occurred_until=datetime.date(2017, 1, 10)
    )
    assert report.occurred_until_precision == DatePrecision.DAY
    assert report.occurred_display == "26 December 2016 – 10 January 2017"


def test_it_rejects_a_period_that_ends_before_it_starts():
    report = DamageReport(
        site=make_site(),
        occurred_on=datetime.date(2017, 1, 10),
        occurred_until=datetime.date(2016, 12, 26),
        damage_type="explosives",
        summary="Blown up.",
    )
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "occurred_until" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        report.save()


def test_it_counts_independent_sources():
    report = make_report()
    article = make_article()
    make_citation(report, article)
    make_citation(report, article, quote="Looters had already dug dozens of pits across the site.")
    make_citation(report, make_article(publisher="Another Paper"))
    counted = DamageReport.objects.with_corroboration().get()
    assert (counted.citation_count, counted.source_count) == (3, 2)


def test_reports_read_naturally():
    bel = make_monument(name="Temple of Bel")
    report = make_report(monument=bel)
    assert str(report) == "Temple of Bel: deliberate demolition with explosives, 30 August 2015"
