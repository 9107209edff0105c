from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from reports.demo import ARTICLE_PATH
from reports.models import Citation, DamageReport, SourceArticle
from reports.text import locate_quote
from reports.vocabularies import DamageType, Extent, Status
from sites.models import HeritageSite, Monument

pytestmark = pytest.mark.django_db

SHARED_SEED = Path(__file__).parents[3] / "shared" / "seed" / "palmyra-recaptured-2016.txt"


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in ("sites", "reports")
        for model in apps.get_app_config(app).get_models()
    }


def test_loading_twice_changes_nothing(capsys):
    call_command("load_demo")
    first = row_counts()
    assert first["sites.HeritageSite"] == 2
    assert first["reports.DamageReport"] == 9
    updated = {r.pk: r.updated_at for r in DamageReport.objects.all()}
    capsys.readouterr()

    call_command("load_demo")
    assert row_counts() == first
    assert {r.pk: r.updated_at for r in DamageReport.objects.all()} == updated
    assert "0 row(s) created." in capsys.readouterr().out


def test_it_leaves_a_curators_edits_alone(demo):
    site = HeritageSite.objects.get(slug="palmyra")
    site.description = "Rewritten by a curator."
    site.save()
    call_command("load_demo")
    site.refresh_from_db()
    assert site.description == "Rewritten by a curator."


def test_palmyra_has_its_unesco_facts(demo):
    palmyra = HeritageSite.objects.get(unesco_id=23)
    assert palmyra.name == "Site of Palmyra"
    assert [c.code for c in palmyra.countries] == ["SY"]
    assert (palmyra.category, palmyra.criteria) == ("cultural", "(i)(ii)(iv)")
    assert (palmyra.year_inscribed, palmyra.in_danger_since) == (1980, 2013)
    coordinates = (float(palmyra.latitude), float(palmyra.longitude))
    assert coordinates == pytest.approx((34.5542, 38.2667), abs=1e-4)


def test_the_monuments_the_article_speaks_of_are_there_under_their_other_names(demo):
    for name in ["Temple of Baal", "Arch of Triumph", "amphitheatre", "Baal Shamin"]:
        assert Monument.objects.matching_name(name).exists(), name


def test_every_report_is_published_and_quotes_the_article_verbatim(demo):
    article = SourceArticle.objects.get(title__startswith="Backed by Russia")
    assert article.published_on.isoformat() == "2016-03-27"
    assert article.title == (
        "Backed by Russia, Syria forces retake Palmyra in major victory over ISIS"
    )
    for report in DamageReport.objects.all():
        assert report.status == Status.PUBLISHED
        citations = list(report.citations.select_related("article"))
        assert citations, report
        for citation in citations:
            quoted = citation.article.text
            assert locate_quote(citation.quote, quoted) == citation.location
    assert article.citations.count() == 7


def test_the_reports_cover_what_the_article_describes(demo):
    seed = DamageReport.objects.filter(citations__article__title__startswith="Backed by Russia")
    found = {
        (r.monument.slug if r.monument else None, r.damage_type, r.extent)
        for r in seed.select_related("monument")
    }
    assert found == {
        (None, DamageType.MILITARY_USE, Extent.UNKNOWN),
        (None, DamageType.MINES, Extent.UNKNOWN),
        ("temple-of-bel", DamageType.EXPLOSIVES, Extent.DESTROYED),
        ("temple-of-baalshamin", DamageType.EXPLOSIVES, Extent.DESTROYED),
        ("monumental-arch", DamageType.EXPLOSIVES, Extent.DESTROYED),
        ("valley-of-the-tombs", DamageType.EXPLOSIVES, Extent.SEVERE),
        ("roman-theatre", DamageType.MISUSE, Extent.UNKNOWN),
    }
    dates = {report.occurred_display for report in seed}
    assert dates == {"May 2015 – 27 March 2016"}
    assert Citation.objects.filter(quote__contains="triumphal arch").count() == 4


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="shared/seed is not beside the checkout")
def test_the_shipped_article_is_the_seed_article():
    assert ARTICLE_PATH.read_bytes() == SHARED_SEED.read_bytes()


def test_the_demo_shows_each_way_a_claim_is_checked(demo):
    """A disputed claim, a story carried by two outlets, an archived copy and an approximate
    date, all from real articles (reports/demo/articles)."""
    reports = DamageReport.objects.with_corroboration()
    bel = reports.get(monument__slug="temple-of-bel", occurred_on="2015-08-30")
    assert bel.disputed and bel.source_count == 2 and bel.citation_count == 3
    elahbel = reports.get(monument__slug="tower-of-elahbel")
    # CBS News and The Salt Lake Tribune carry one AP story: one source, USA Today another.
    assert (elahbel.citation_count, elahbel.source_count) == (3, 2)
    assert SourceArticle.objects.filter(republished_from__isnull=False).count() == 1
    assert elahbel.occurred_edtf == "2015-08-25~"
    assert SourceArticle.objects.exclude(archive_url="").count() == 1
    seed = reports.filter(citations__article__title__startswith="Backed by Russia")
    assert {report.source_count for report in seed} == {1}  # each "one source"
