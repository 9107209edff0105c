"""Ingestion quality, measured on labelled articles (tests/reports/ingest_cases/): precision
and recall of the (place, damage type) pairs found must each be at least 0.8."""

from pathlib import Path

import pytest

from reports.ingest.quality import evaluate, precision_recall

pytestmark = pytest.mark.django_db

CASES = Path(__file__).parent / "ingest_cases"


def test_there_are_the_seed_and_at_least_five_more_labelled_articles():
    names = {path.stem for path in CASES.glob("*.json")}
    assert "palmyra-recaptured-2016" in names and len(names) >= 6
    assert all((CASES / f"{name}.txt").exists() for name in names)


def test_precision_and_recall_are_at_least_0_8(demo):
    results = evaluate(CASES)
    precision, recall = precision_recall(results)
    report = {
        r.name: (sorted(r.found - r.expected), sorted(r.expected - r.found)) for r in results
    }
    assert precision >= 0.8, report
    assert recall >= 0.8, report
