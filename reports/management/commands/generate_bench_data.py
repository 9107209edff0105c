"""Synthetic data at scale for benchmarks: sites, monuments, articles, reports and citations,
made from a fixed seed (the same rows every run) with bulk inserts.

Every generated row is recognisable (slugs and URLs start with "bench"), so --replace can
remove them without touching real data. Bulk inserts skip the per-row history."""

import datetime
import hashlib
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from reports.models import (
    SEEN_BY_PUBLIC,
    Citation,
    DamageReport,
    PublicChange,
    PublicDataVersion,
    SourceArticle,
)
from reports.text import text_sha256
from reports.vocabularies import (
    AssessmentBasis,
    Certainty,
    DamageType,
    DatePrecision,
    Extent,
    Stance,
    Status,
)
from sites.models import HeritageSite, Monument

BATCH = 5000
COUNTRIES = ["SY", "IQ", "YE", "LY", "ML", "AF", "LB", "EG", "JO", "TR"]
PUBLISHERS = ["Reuters", "AFP", "AP", "BBC", "ASOR", "Al Jazeera", "The Guardian", "DGAM"]
QUOTE = "Damage to the monument was reported by witnesses."
# Status mix: most reports public, enough of the others that the public filter matters.
STATUSES = [
    (Status.PUBLISHED, 70),
    (Status.DRAFT, 15),
    (Status.IN_REVIEW, 10),
    (Status.REJECTED, 3),
    (Status.RETRACTED, 2),
]


class Command(BaseCommand):
    help = "Generate deterministic benchmark data with bulk inserts (see bench/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--sites", type=int, default=1000)
        parser.add_argument("--monuments", type=int, default=20000)
        parser.add_argument("--articles", type=int, default=50000)
        parser.add_argument("--reports", type=int, default=200000)
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument(
            "--replace", action="store_true", help="Delete earlier benchmark rows first."
        )

    def handle(self, *args, **options) -> None:
        for name in ("sites", "monuments", "articles", "reports"):
            if options[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        existing = HeritageSite.objects.filter(slug__startswith="bench-")
        if existing.exists():
            if not options["replace"]:
                raise CommandError("Benchmark data is already there: add --replace to renew it.")
            self.delete_bench_rows()
        rng = random.Random(options["seed"])  # noqa: S311 - repeatable data, not secrets
        with transaction.atomic():
            sites = self.timed("sites", lambda: self.make_sites(rng, options["sites"]))
            monuments = self.timed(
                "monuments", lambda: self.make_monuments(rng, sites, options["monuments"])
            )
            articles = self.timed("articles", lambda: self.make_articles(rng, options["articles"]))
            reports = self.timed(
                "reports", lambda: self.make_reports(rng, sites, monuments, options["reports"])
            )
            self.timed("citations", lambda: self.make_citations(rng, reports, articles))
            self.timed("changes", lambda: self.make_changes(reports))
            PublicDataVersion.bump()  # bulk inserts send no signals (this also numbers changes)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner takes 200,000 reports for a few hundred; and a
            # visibility map, so that counts can be answered from indexes alone.
            # (VACUUM cannot run inside a transaction, where tests call this command.)
            statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(statement)
            self.stdout.write(f"{statement:>20} {time.perf_counter() - started:7.1f} s")

    def timed(self, noun: str, make):
        started = time.perf_counter()
        rows = make()
        seconds = time.perf_counter() - started
        self.stdout.write(f"{len(rows):>9,} {noun:<10} {seconds:7.1f} s")
        return rows

    def delete_bench_rows(self) -> None:
        """In SQL: the ORM would load every row to send its delete signals (a million rows)."""
        started = time.perf_counter()
        sites = HeritageSite._meta.db_table
        bench_sites = f"SELECT id FROM {sites} WHERE slug LIKE 'bench-%%'"  # noqa: S608
        bench_reports = (
            f"SELECT id FROM {DamageReport._meta.db_table} WHERE site_id IN ({bench_sites})"  # noqa: S608
        )
        statements = [
            f"DELETE FROM {PublicChange._meta.db_table} WHERE report_id IN ({bench_reports})",  # noqa: S608
            f"DELETE FROM {Citation._meta.db_table} WHERE report_id IN ({bench_reports})",  # noqa: S608
            f"UPDATE {SourceArticle._meta.db_table} SET republished_from_id = NULL "  # noqa: S608
            "WHERE url LIKE 'https://bench.example.org/%%'",
            f"DELETE FROM {DamageReport._meta.db_table} WHERE site_id IN ({bench_sites})",  # noqa: S608
            f"DELETE FROM {SourceArticle._meta.db_table} "  # noqa: S608
            "WHERE url LIKE 'https://bench.example.org/%%'",
            f"DELETE FROM {Monument._meta.db_table} WHERE site_id IN ({bench_sites})",  # noqa: S608
            f"DELETE FROM {sites} WHERE slug LIKE 'bench-%%'",  # noqa: S608
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, [])
            PublicDataVersion.bump()
        self.stdout.write(
            f"Deleted earlier benchmark rows in {time.perf_counter() - started:.1f} s"
        )

    def make_sites(self, rng: random.Random, count: int) -> list[HeritageSite]:
        sites = []
        for i in range(count):
            inscribed = rng.randint(1978, 2023)
            sites.append(
                HeritageSite(
                    name=f"Bench site {i}",
                    slug=f"bench-{i}",
                    unesco_id=900_000 + i,
                    # django-countries' stubs type the field as CharField's str, multiple or not.
                    countries=[rng.choice(COUNTRIES)],  # type: ignore[misc]
                    category=rng.choice(HeritageSite.Category.values),
                    criteria="(ii)(iv)",
                    year_inscribed=inscribed,
                    in_danger_since=rng.randint(inscribed, 2024) if rng.random() < 0.2 else None,
                    latitude=Decimal(f"{rng.uniform(-60, 70):.6f}"),
                    longitude=Decimal(f"{rng.uniform(-180, 180):.6f}"),
                    location_is_sensitive=rng.random() < 0.05,
                )
            )
        return HeritageSite.objects.bulk_create(sites, batch_size=BATCH)

    def make_monuments(self, rng: random.Random, sites, count: int) -> list[Monument]:
        monuments = [
            Monument(
                site=rng.choice(sites),
                name=f"Bench monument {i}",
                slug=f"bench-monument-{i}",
                kind=rng.choice(Monument.Kind.values),
                latitude=Decimal(f"{rng.uniform(-60, 70):.6f}") if rng.random() < 0.7 else None,
                longitude=None,
            )
            for i in range(count)
        ]
        for monument in monuments:  # both coordinates or neither
            if monument.latitude is not None:
                monument.longitude = Decimal(f"{rng.uniform(-180, 180):.6f}")
        return Monument.objects.bulk_create(monuments, batch_size=BATCH)

    def make_articles(self, rng: random.Random, count: int) -> list[SourceArticle]:
        articles = []
        for i in range(count):
            text = f"Report number {i} from the field.\n{QUOTE}\nMore details followed."
            url = f"https://bench.example.org/{i}"
            articles.append(
                SourceArticle(
                    url=url,
                    title=f"Bench article {i}",
                    publisher=rng.choice(PUBLISHERS),
                    published_on=datetime.date(2011, 1, 1)
                    + datetime.timedelta(days=rng.randint(0, 5000)),
                    language="en",
                    text=text,
                    text_sha256=text_sha256(text),
                    # Some archived, as curators catch up with their to-do list.
                    archive_url=f"https://web.archive.org/web/20160101000000/{url}"
                    if rng.random() < 0.4
                    else "",
                )
            )
        created = SourceArticle.objects.bulk_create(articles, batch_size=BATCH)
        # A tenth of the second half are reprints of a story of the first half.
        originals = created[: count // 2]
        reprints = [a for a in created[count // 2 :] if originals and rng.random() < 0.1]
        for reprint in reprints:
            reprint.republished_from = rng.choice(originals)
        SourceArticle.objects.bulk_update(reprints, ["republished_from"], batch_size=BATCH)
        return created

    def make_reports(self, rng: random.Random, sites, monuments, count: int) -> list:
        now = timezone.now()
        statuses, weights = zip(*STATUSES, strict=True)
        reports = []
        for i in range(count):
            monument = rng.choice(monuments) if rng.random() < 0.8 else None
            status = rng.choices(statuses, weights)[0]
            report = DamageReport(
                site=monument.site if monument else rng.choice(sites),
                monument=monument,
                occurred_on=datetime.date(2012, 1, 1)
                + datetime.timedelta(days=rng.randint(0, 4700)),
                occurred_on_precision=rng.choice(
                    [DatePrecision.DAY, DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
                ),
                occurred_on_approximate=rng.random() < 0.1,
                damage_type=rng.choice(DamageType.values),
                extent=rng.choice(Extent.values),
                certainty=rng.choice(Certainty.values),
                assessment_basis=rng.choice(AssessmentBasis.values),
                responsible_party=rng.choice(["ISIL", "SARG", "unknown", ""]),
                summary=f"Bench report {i}: "
                + hashlib.sha256(str(i).encode()).hexdigest()[: rng.randint(8, 40)],
                status=status,
                published_at=now if status in SEEN_BY_PUBLIC else None,
                retraction_reason="Withdrawn by the source." if status == Status.RETRACTED else "",
                retracted_at=now if status == Status.RETRACTED else None,
            )
            report._normalise_dates()  # as save() would: precision and occurred_latest
            report.search_text = report.search_words(other_names=(), site_names=())
            reports.append(report)
        return DamageReport.objects.bulk_create(reports, batch_size=BATCH)

    def make_citations(self, rng: random.Random, reports, articles) -> list[Citation]:
        citations = []
        for report in reports:
            for n, article in enumerate(rng.sample(articles, 2 if rng.random() < 0.5 else 1)):
                # The first always supports (a published report needs one); some seconds dispute.
                stance = Stance.DISPUTES if n and rng.random() < 0.1 else Stance.SUPPORTS
                citations.append(
                    Citation(report=report, article=article, quote=QUOTE, stance=stance)
                )
        return Citation.objects.bulk_create(citations, batch_size=BATCH)

    def make_changes(self, reports) -> list[PublicChange]:
        """The change feed's entries of what the public saw: each publication, each
        retraction (numbered with the data version at commit, as saves do)."""
        changes = []
        for report in reports:
            if report.published_at is not None:
                changes.append(
                    PublicChange(report=report, action="published", at=report.published_at)
                )
            if report.retracted_at is not None:
                changes.append(
                    PublicChange(report=report, action="retracted", at=report.retracted_at)
                )
        return PublicChange.objects.bulk_create(changes, batch_size=BATCH)
