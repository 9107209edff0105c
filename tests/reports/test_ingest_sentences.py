"""The reviewers' sweeps of news constructions (tests/reports/ingest_sentences/): the number of
short articles the finding step reads right must not fall below the floors."""

import datetime
import json
from pathlib import Path

import pytest

from reports.ingest.finding import Gazetteer, find_candidates

pytestmark = pytest.mark.django_db

SENTENCES = Path(__file__).parent / "ingest_sentences"
# A little under what the program reads right today (raise them when it gets better).
FLOORS = {"constructions.jsonl": 172, "wire-stories.jsonl": 90}


def read_right(story: dict, gazetteer: Gazetteer) -> bool:
    """Every expected pair proposed, and nothing a curator would not draft."""
    candidates = find_candidates(
        story.get("title", "News"),
        story["text"],
        datetime.date.fromisoformat(story.get("published_on", "2016-03-27")),
        gazetteer,
    )
    found = {(c.place.key, str(c.damage_type)) for c in candidates}
    expected = {tuple(pair) for pair in story["expect"]}
    allowed = expected | {tuple(pair) for pair in story.get("may", [])}
    return expected <= found <= allowed


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_sweeps_of_news_constructions_keep_what_they_read(demo, name, capsys):
    stories = [json.loads(line) for line in (SENTENCES / name).read_text().splitlines() if line]
    gazetteer = Gazetteer()
    right = [story["id"] for story in stories if read_right(story, gazetteer)]
    with capsys.disabled():
        print(f"\n{name}: {len(right)} of {len(stories)} read right")
    assert len(right) >= FLOORS[name], f"{len(right)} of {len(stories)}"
