"""Measuring ingestion against labelled articles: precision and recall of the (place, damage
type) pairs it finds, overall, per damage type and per kind of error, and how often the date it
gives a right pair is the labelled one. Used by tests/reports/test_ingest_quality.py and
bench/ingest_quality.py.

A case is an article (NAME.txt, title on the first line) and NAME.json (the format is
tests/reports/ingest_corpus/README.md): its publication date, the gazetteer entries a curator's
database would hold for it, and the pairs a curator would draft from it: `must` (counted
either way) and `may` (neither rewarded nor held against the pipeline). The older cases in
tests/reports/ingest_cases/ give `expected` pairs, all of them `must`."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reports.event_dates import EdtfError, parse_edtf, truncate
from reports.ingest.finding import Candidate, Gazetteer, find_candidates
from sites.models import AlternativeName, HeritageSite, Monument, SiteName

Pair = tuple[str, str]  # (place key, damage type)
FOLDS = 3
# The part of the corpus that no rule was tuned on: its scores are the ones reported.
HELD_OUT_FOLD = 2


@dataclass
class Case:
    name: str
    title: str
    text: str
    published_on: datetime.date
    must: set[Pair]
    may: set[Pair]
    occurred: dict[Pair, str]
    places: list[dict]
    meta: dict = field(default_factory=dict)

    @property
    def fold(self) -> int:
        """Which third of the corpus the case is in: fixed by its name, never chosen."""
        return int(hashlib.sha256(self.name.encode()).hexdigest(), 16) % FOLDS


@dataclass
class CaseResult:
    case: Case
    found: dict[Pair, Candidate]

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def expected(self) -> set[Pair]:
        return self.case.must

    @property
    def right(self) -> set[Pair]:
        return self.case.must & set(self.found)

    @property
    def wrong(self) -> set[Pair]:
        return set(self.found) - self.case.must - self.case.may

    @property
    def missed(self) -> set[Pair]:
        return self.case.must - set(self.found)

    @property
    def true_positives(self) -> int:
        return len(self.right)


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    missed: int = 0

    @classmethod
    def of(cls, found: set[Pair], must: set[Pair], may: set[Pair]) -> Score:
        """`found` scored against `must`; pairs in `may` count neither way."""
        return cls(
            right=len(must & found), wrong=len(found - must - may), missed=len(must - found)
        )

    def __add__(self, other: Score) -> Score:
        return Score(
            self.right + other.right, self.wrong + other.wrong, self.missed + other.missed
        )

    @property
    def precision(self) -> float:
        proposed = self.right + self.wrong
        return self.right / proposed if proposed else 1.0

    @property
    def recall(self) -> float:
        expected = self.right + self.missed
        return self.right / expected if expected else 1.0

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.2f} ({self.right}/{self.right + self.wrong})  "
            f"recall {self.recall:.2f} ({self.right}/{self.right + self.missed})"
        )


def _pair(entry: dict | list) -> Pair:
    if isinstance(entry, dict):
        return (entry["place"], entry["damage_type"])
    return (entry[0], entry[1])


def load_cases(folder: Path) -> list[Case]:
    """Every case in `folder`, in name order."""
    cases = []
    for path in sorted(folder.glob("*.json")):
        labels = json.loads(path.read_text(encoding="utf-8"))
        title, _, text = path.with_suffix(".txt").read_text(encoding="utf-8").partition("\n")
        must_entries = labels.get("must", labels.get("expected", []))
        cases.append(
            Case(
                name=path.stem,
                title=title.strip(),
                text=text.strip(),
                published_on=datetime.date.fromisoformat(labels["published_on"]),
                must={_pair(entry) for entry in must_entries},
                may={_pair(entry) for entry in labels.get("may", [])},
                occurred={
                    _pair(entry): entry["occurred"]
                    for entry in must_entries
                    if isinstance(entry, dict) and entry.get("occurred")
                },
                places=labels.get("places", []),
                meta={k: v for k, v in labels.items() if k in ("url", "publisher", "kind")},
            )
        )
    return cases


def ensure_places(places: list[dict]) -> None:
    """Create the sites and monuments (and their other names) a case needs, if missing."""
    for entry in places:
        site_fields = dict(entry["site"])
        site, _ = HeritageSite.objects.get_or_create(
            slug=site_fields.pop("slug"), defaults=site_fields
        )
        for name in entry.get("other_names", []):
            SiteName.objects.get_or_create(site=site, name=name, defaults={"language": "en"})
        for monument_fields in entry.get("monuments", []):
            fields = dict(monument_fields)
            aliases = fields.pop("alternative_names", [])
            monument, _ = Monument.objects.get_or_create(
                site=site, slug=fields.pop("slug"), defaults=fields
            )
            for alias in aliases:
                AlternativeName.objects.get_or_create(monument=monument, name=alias)


def evaluate(folder: Path | list[Case], folds: set[int] | None = None) -> list[CaseResult]:
    """Run the finding step on every case (of `folds`, if given), with every case's places
    loaded first, as a curator's database would hold them all; nothing else is written."""
    cases = load_cases(folder) if isinstance(folder, Path) else folder
    for case in cases:
        ensure_places(case.places)
    gazetteer = Gazetteer()
    results = []
    for case in cases:
        if folds is not None and case.fold not in folds:
            continue
        found: dict[Pair, Candidate] = {}
        for candidate in find_candidates(case.title, case.text, case.published_on, gazetteer):
            found.setdefault((candidate.place.key, candidate.damage_type), candidate)
        results.append(CaseResult(case=case, found=found))
    return results


def load_second_labelling(path: Path) -> dict[str, tuple[set[Pair], set[Pair]]]:
    """Another annotator's (must, may) pairs for some of the cases, labelled blind (from the
    same rules and texts, without the corpus's labels): tests/reports/ingest_corpus/second-
    labelling/ says how it was made."""
    labelling = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: ({_pair(e) for e in labels["must"]}, {_pair(e) for e in labels.get("may", [])})
        for name, labels in labelling["cases"].items()
    }


def labellers_agreement(
    cases: list[Case], second: dict[str, tuple[set[Pair], set[Pair]]]
) -> Score:
    """The second labelling's must pairs scored as if they were proposals, against the corpus's
    labels, as the pipeline's are: how far the corpus's labels are one reading of the rules."""
    return sum((Score.of(second[c.name][0], c.must, c.may) for c in cases), Score())


def score_against(
    results: list[CaseResult], second: dict[str, tuple[set[Pair], set[Pair]]]
) -> Score:
    """The pipeline's proposals scored against the second labelling instead of the corpus's."""
    return sum((Score.of(set(r.found), *second[r.name]) for r in results), Score())


def score(results: list[CaseResult]) -> Score:
    return sum((Score.of(set(r.found), r.case.must, r.case.may) for r in results), Score())


def precision_recall(results: list[CaseResult]) -> tuple[float, float]:
    total = score(results)
    return total.precision, total.recall


def per_damage_type(results: list[CaseResult]) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for result in results:
        for _, damage_type in result.right:
            scores.setdefault(damage_type, Score()).right += 1
        for _, damage_type in result.wrong:
            scores.setdefault(damage_type, Score()).wrong += 1
        for _, damage_type in result.missed:
            scores.setdefault(damage_type, Score()).missed += 1
    return dict(sorted(scores.items()))


def _site(place: str) -> str:
    return place.split("/")[0]


def _at_the_other_level(pair: Pair, pairs: set[Pair]) -> bool:
    """Whether `pairs` holds the same damage at the same site, said of the whole site where
    `pair` names a monument, or of a monument where `pair` names the site."""
    place, damage_type = pair
    return any(
        _site(p) == _site(place)
        and t == damage_type
        and (p == _site(p)) != (place == _site(place))
        for p, t in pairs
    )


def error_kinds(results: list[CaseResult]) -> Counter[str]:
    """Each wrong proposal and each missed pair, by what went wrong (the kinds of issue 15)."""
    kinds: Counter[str] = Counter()
    for result in results:
        labelled = result.case.must | result.case.may
        labelled_sites = {_site(place) for place, _ in labelled}
        found = set(result.found)
        for place, damage_type in result.wrong:
            if not result.case.must and not result.case.may:
                kinds["proposed from an article that reports no damage"] += 1
            elif _site(place) not in labelled_sites:
                kinds["wrong: a place of another site"] += 1
            elif any(p == place for p, _ in labelled):
                kinds["wrong: the right place, another damage type"] += 1
            elif _at_the_other_level((place, damage_type), labelled):
                kinds["wrong: site and monument confused"] += 1
            else:
                kinds["wrong: a place the damage is not said of"] += 1
        for place, damage_type in result.missed:
            if any(p == place for p, _ in found):
                kinds["missed: the place found, with another damage type"] += 1
            elif _at_the_other_level((place, damage_type), found):
                kinds["missed: filed at the site or at a monument instead"] += 1
            else:
                kinds["missed: not found at all"] += 1
    return kinds


def date_agreement(results: list[CaseResult]) -> Counter[str]:
    """For right pairs with a labelled date: whether the proposed start falls in the labelled
    one ("right"), at the labelled precision or finer."""
    counts: Counter[str] = Counter()
    for result in results:
        for pair in result.right:
            labelled = result.case.occurred.get(pair)
            if not labelled:
                continue
            when = result.found[pair].when
            if labelled.startswith("../"):  # on or before a day: the start is unknown
                try:
                    before = parse_edtf(labelled[3:])
                except EdtfError:
                    counts["label not EDTF"] += 1
                    continue
                counts["right" if when.start <= before.on else "wrong"] += 1
                continue
            try:
                event = parse_edtf(labelled)
            except EdtfError:
                counts["label not EDTF"] += 1
                continue
            start = truncate(when.start, event.on_precision)
            if start == truncate(event.on, event.on_precision):
                counts["right"] += 1
            else:
                counts["wrong"] += 1
    return counts
