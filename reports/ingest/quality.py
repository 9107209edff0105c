"""Measuring ingestion against labelled articles: precision and recall of the (place, damage
type) pairs it finds. Used by tests/reports/test_ingest_quality.py and bench/ingest_quality.py.

A case is an article (NAME.txt, title on the first line) and NAME.json: its publication date,
the places a curator's database would hold beyond the demo data, and the expected pairs, each
place written as a site slug or "site-slug/monument-slug"."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from reports.ingest.finding import Gazetteer, find_candidates
from sites.models import AlternativeName, HeritageSite, Monument


@dataclass
class CaseResult:
    name: str
    expected: set[tuple[str, str]]
    found: set[tuple[str, str]]

    @property
    def true_positives(self) -> int:
        return len(self.expected & self.found)


def load_cases(folder: Path) -> list[tuple[str, str, dict]]:
    """(name, article text, labels) for every case in `folder`, in name order."""
    return [
        (
            path.stem,
            path.with_suffix(".txt").read_text(encoding="utf-8"),
            json.loads(path.read_text()),
        )
        for path in sorted(folder.glob("*.json"))
    ]


def ensure_places(places: list[dict]) -> None:
    """Create the sites and monuments a case needs, if missing."""
    for entry in places:
        site_fields = dict(entry["site"])
        site, _ = HeritageSite.objects.get_or_create(
            slug=site_fields.pop("slug"), defaults=site_fields
        )
        for monument_fields in entry.get("monuments", []):
            fields = dict(monument_fields)
            aliases = fields.pop("alternative_names", [])
            monument, _ = Monument.objects.get_or_create(
                site=site, slug=fields.pop("slug"), defaults=fields
            )
            for alias in aliases:
                AlternativeName.objects.get_or_create(monument=monument, name=alias)


def evaluate(folder: Path) -> list[CaseResult]:
    """Run the finding step on every case (nothing is written but the cases' places)."""
    cases = load_cases(folder)
    for _, _, labels in cases:
        ensure_places(labels.get("places", []))
    gazetteer = Gazetteer()
    results = []
    for name, article, labels in cases:
        title, _, text = article.partition("\n")
        published_on = datetime.date.fromisoformat(labels["published_on"])
        candidates = find_candidates(title, text, published_on, gazetteer)
        results.append(
            CaseResult(
                name=name,
                expected={tuple(pair) for pair in labels["expected"]},
                found={(c.place.key, c.damage_type) for c in candidates},
            )
        )
    return results


def precision_recall(results: list[CaseResult]) -> tuple[float, float]:
    true_positives = sum(result.true_positives for result in results)
    found = sum(len(result.found) for result in results)
    expected = sum(len(result.expected) for result in results)
    return (
        true_positives / found if found else 0.0,
        true_positives / expected if expected else 0.0,
    )
