"""Plain helpers that make valid rows with sensible defaults; keyword arguments override."""

import datetime
import itertools
from decimal import Decimal

from reports.models import Citation, DamageReport, SourceArticle
from reports.services import report_publish, report_submit
from reports.vocabularies import DamageType, Extent
from sites.models import HeritageSite, Monument

_numbers = itertools.count(1)

ARTICLE_TEXT = (
    "Militants blew up the ancient temple on Sunday, witnesses said.\n"
    "The “great gate” of the sanctuary was left standing.\n"
    "Looters had already dug dozens of pits across the site."
)


def make_site(**fields) -> HeritageSite:
    n = next(_numbers)
    values = {"name": f"Site {n}", "slug": f"site-{n}", "countries": ["SY"]} | fields
    site = HeritageSite(**values)
    site.full_clean()
    site.save()
    return site


def make_monument(site: HeritageSite | None = None, **fields) -> Monument:
    n = next(_numbers)
    values = {"name": f"Monument {n}", "slug": f"monument-{n}", "kind": Monument.Kind.TEMPLE}
    monument = Monument(site=site or make_site(), **(values | fields))
    monument.full_clean()
    monument.save()
    return monument


def make_article(**fields) -> SourceArticle:
    n = next(_numbers)
    values = {
        "title": f"Article {n}",
        "url": f"https://news.example.org/{n}",
        "publisher": "Example News",
        "published_on": datetime.date(2015, 9, 1),
        "text": f"{ARTICLE_TEXT}\nArticle number {n}.",
    }
    article = SourceArticle(**(values | fields))
    article.full_clean()
    article.save()
    return article


def make_report(site: HeritageSite | None = None, **fields) -> DamageReport:
    """A draft report (publish it with make_published_report or report_publish)."""
    monument = fields.get("monument")
    values = {
        "site": site or (monument.site if monument else make_site()),
        "occurred_on": datetime.date(2015, 8, 30),
        "damage_type": DamageType.EXPLOSIVES,
        "extent": Extent.DESTROYED,
        "summary": "Blown up.",
    }
    report = DamageReport(**(values | fields))
    report.full_clean()
    report.save()
    return report


def make_citation(report: DamageReport, article: SourceArticle | None = None, **fields):
    values = {"quote": "Militants blew up the ancient temple on Sunday, witnesses said."}
    citation = Citation(report=report, article=article or make_article(), **(values | fields))
    citation.full_clean()
    citation.save()
    return citation


def make_published_report(site: HeritageSite | None = None, **fields) -> DamageReport:
    report = make_report(site, **fields)
    make_citation(report)
    report_submit(report=report, by=None)
    return report_publish(report=report, by=None)


def make_many_published_reports(count: int, monuments: int = 30) -> HeritageSite:
    """`count` published reports over `monuments` monuments of one Syrian site, each citing an
    article of its own and one they all share; bulk-created, for query-count tests. Returns
    the site."""
    site = make_site(countries=["SY"], latitude=Decimal("34.5"), longitude=Decimal("38.3"))
    places = [make_monument(site) for _ in range(monuments)]
    shared = make_article()
    own = [
        SourceArticle(title=f"Article {i}", text=f"{ARTICLE_TEXT}\nNumber {i}.")
        for i in range(count)
    ]
    for article in own:
        article.clean()  # derives the text fingerprint, as save() would
    own = SourceArticle.objects.bulk_create(own)
    reports = []
    for i in range(count):
        report = DamageReport(
            site=site,
            monument=places[i % monuments],
            occurred_on=datetime.date(2015, 1, 1) + datetime.timedelta(days=i),
            damage_type=DamageType.EXPLOSIVES,
            extent=Extent.DESTROYED,
            summary=f"Blown up ({i}).",
            status="published",
            published_at=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC),
        )
        report.clean()  # derives occurred_latest, as save() would
        report.search_text = report.search_words(other_names=())
        reports.append(report)
    reports = DamageReport.objects.bulk_create(reports)
    quote = ARTICLE_TEXT.splitlines()[0]
    Citation.objects.bulk_create(
        Citation(report=report, article=article, quote=quote)
        for report, article_of_its_own in zip(reports, own, strict=True)
        for article in (article_of_its_own, shared)
    )
    return site
