"""generate_bench_data makes exactly what it is asked for, the same every time."""

import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import Citation, DamageReport, SourceArticle
from reports.vocabularies import Status
from sites.models import HeritageSite, Monument

pytestmark = pytest.mark.django_db

SMALL = ["--sites", "5", "--monuments", "40", "--articles", "60", "--reports", "400"]


def generate(*extra: str) -> str:
    out = io.StringIO()
    call_command("generate_bench_data", *SMALL, *extra, stdout=out)
    return out.getvalue()


def fingerprint() -> list[tuple]:
    return list(
        DamageReport.objects.order_by("summary").values_list(
            "site__slug", "monument__slug", "occurred_on", "damage_type", "status", "summary"
        )
    )


def test_it_makes_the_requested_counts_and_says_how_long_each_took(demo):
    before = (HeritageSite.objects.count(), Monument.objects.count(), DamageReport.objects.count())
    out = generate()
    assert HeritageSite.objects.count() == before[0] + 5
    assert Monument.objects.count() == before[1] + 40
    assert SourceArticle.objects.filter(url__startswith="https://bench.").count() == 60
    bench = DamageReport.objects.filter(site__slug__startswith="bench-")
    assert bench.count() == 400
    citations = Citation.objects.filter(report__in=bench).count()
    assert 1.3 <= citations / 400 <= 1.7  # about one and a half a report
    assert "      400 reports" in out and " s\n" in out
    # A mix of statuses, so that the public filter matters.
    public = bench.filter(status=Status.PUBLISHED).count()
    assert 0.6 < public / 400 < 0.8
    assert bench.exclude(status=Status.PUBLISHED).count() > 0
    # Curated data is untouched.
    assert DamageReport.objects.exclude(site__slug__startswith="bench-").count() == before[2]
    # Bulk-inserted reports are searchable like saved ones.
    sample = bench.exclude(monument=None).select_related("site", "monument").first()
    assert sample.search_text == sample.search_words()
    assert sample in DamageReport.objects.search(sample.monument.name)


def test_the_same_seed_makes_the_same_rows():
    generate()
    first = fingerprint()
    generate("--replace")
    assert fingerprint() == first
    assert DamageReport.objects.count() == 400


def test_it_refuses_to_add_a_second_set_or_a_bad_count():
    generate()
    with pytest.raises(CommandError, match="add --replace"):
        generate()
    with pytest.raises(CommandError, match="--reports must be at least 1"):
        call_command("generate_bench_data", "--reports", "0")


def test_generated_reports_keep_the_rules(demo):
    generate()
    for report in DamageReport.objects.filter(site__slug__startswith="bench-")[:100]:
        if report.monument_id:
            assert report.monument.site_id == report.site_id
        assert report.occurred_latest >= report.occurred_on
        if report.status == Status.PUBLISHED:
            assert report.citations.exists() and report.published_at
