"""Article ingestion: read an article, store it once, find the damage it reports, and propose
draft reports that cite its sentences. Nothing is ever published here; curators accept (edit,
then submit), merge or discard the proposals in the admin.

The steps live in reading.py (read), finding.py (find) and below (store, propose). The
management command `ingest_article` and the admin's "Ingest article" page both call
`ingest_article`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reports.ingest.finding import Candidate, find_candidates, split_sentences
from reports.ingest.places import current_gazetteer
from reports.ingest.reading import IngestError, ReadArticle, read_article
from reports.models import Citation, DamageReport, Proposal, SourceArticle
from reports.text import normalize_url, text_sha256
from reports.vocabularies import AssessmentBasis, Certainty, DamageType, Status

__all__ = ["IngestError", "IngestResult", "ingest_article"]


@dataclass
class IngestResult:
    article: SourceArticle
    article_created: bool
    proposals: list[DamageReport] = field(default_factory=list)
    already_proposed: int = 0
    discarded_before: int = 0
    messages: list[str] = field(default_factory=list)


# Sentences an article may have: each is matched against the gazetteer, the damage lexicon and
# the date patterns, and a text of 52,000 sentences kept a worker past gunicorn's 30 s (an
# outside probe); a long news story has a few hundred.
MAX_SENTENCES = 2_000
# Characters an article may have: reading costs about 45 µs a character at worst (a text dense
# with names and damage words), so 100,000 (some 15,000 words; a long news story has a few
# thousand) take under 5 s; a 1 MB paragraph ran for minutes.
MAX_CHARACTERS = 100_000
# Sentences a proposal quotes: enough for a curator to judge it (the rest of the article is
# one click away); a text repeating one claim in every sentence made a draft of 2,000 quotes.
MAX_QUOTES_PER_PROPOSAL = 10


def ingest_article(
    *,
    data: bytes | str,
    url: str = "",
    title: str = "",
    publisher: str = "",
    published_on: datetime.date | None = None,
    language: str = "en",
    by: User | None = None,
) -> IngestResult:
    """Run the whole pipeline on one article; raises IngestError for unusable input (the
    article or any of its details), before anything is written."""
    read = read_article(data)
    read.title = title.strip() or read.title
    read.url = url.strip() or read.url
    read.published_on = published_on or read.published_on
    article = _checked_article(read, publisher=publisher, language=language)
    if len(article.text) > MAX_CHARACTERS:
        raise IngestError(
            f"The text has {len(article.text):,} characters; an article of at most "
            f"{MAX_CHARACTERS:,} is read (a long news story has a few thousand): ingest its "
            "relevant part."
        )
    sentences = len(split_sentences(article.text))
    if sentences > MAX_SENTENCES:
        raise IngestError(
            f"The text has {sentences:,} sentences; an article of at most {MAX_SENTENCES:,} is "
            "read (a long news story has a few hundred): ingest its relevant part."
        )
    # The reading is done before the writing, outside its transaction: a write transaction
    # held while a long text is read locks SQLite for every other writer.
    recorded = _recorded(article)
    read_as = recorded or article
    base_date = read_as.published_on or timezone.localdate()
    candidates = find_candidates(read_as.title, read_as.text, base_date, current_gazetteer())
    with transaction.atomic():
        return _store_and_propose(article, candidates, by)


def _store_and_propose(
    article: SourceArticle, candidates: list[Candidate], by: User | None
) -> IngestResult:
    new_text = article.text
    article, created = _store(article)
    result = IngestResult(article=article, article_created=created)
    if not created:
        result.messages.append(
            f"This article was already recorded (“{article.title}”, number {article.pk}); "
            "it was not stored again."
        )
        if text_sha256(new_text) != article.text_sha256:
            result.messages.append(
                "The text given differs from the one recorded at this address: the recorded "
                "text was read, and the new one was not stored."
            )
    if article.published_on is None:
        result.messages.append(
            "The article has no date: relative dates were read against today, "
            f"{timezone.localdate()}."
        )
    if not candidates:
        result.messages.append("No damage to a known site or monument was found.")
    if _mostly_other_script(article.text):
        result.messages.append(
            "Most of the text is not in the Latin alphabet: damage is read in English only, "
            f"so nothing can be proposed from it (language recorded: {article.language})."
        )
    # What was proposed from this article before, whatever a curator did with it since: a
    # draft edited to another damage type is not proposed again as it first was.
    proposed_before: dict[tuple[int, int | None, str], bool] = {
        (site_id, monument_id, damage_type): discarded_at is not None
        for site_id, monument_id, damage_type, discarded_at in Proposal.objects.filter(
            article=article
        ).values_list("site_id", "monument_id", "damage_type", "discarded_at")
    }
    for group in _group(candidates):
        place = group[0].place
        monument_id = place.monument.pk if place.monument else None
        discarded = proposed_before.get((place.site.pk, monument_id, group[0].damage_type))
        if discarded is not None:
            if discarded:
                result.discarded_before += 1
            else:
                result.already_proposed += 1
            continue
        report = _propose(article, group, by)
        if report is None:
            result.already_proposed += 1
        else:
            result.proposals.append(report)
    if result.discarded_before:
        result.messages.append(
            f"{result.discarded_before} draft(s) a curator discarded or merged before were not "
            "proposed again."
        )
    return result


def _mostly_other_script(text: str) -> bool:
    """Whether most of the text's letters are not Latin ones (Arabic, Cyrillic…)."""
    letters = [c for c in text[:5_000] if c.isalpha()]
    latin = sum(1 for c in letters if c < "\u0250")
    return bool(letters) and latin < len(letters) / 2


def _checked_article(read: ReadArticle, *, publisher: str, language: str) -> SourceArticle:
    """The article to store, every field checked against the model's rules (lengths, the
    language code, the URL); IngestError in one line naming the fields that are wrong."""
    article = SourceArticle(
        url=normalize_url(read.url),
        title=read.title,
        publisher=publisher,
        author=read.author[:255],
        published_on=read.published_on,
        language=language,
        text=read.text,
        retrieved_at=timezone.now(),
    )
    if article.url and not article.url.lower().startswith(("http://", "https://")):
        raise IngestError(f"url: {article.url!r} is not a web address (http:// or https://).")
    try:
        # Uniqueness is not an error here: a recorded article is recognised by _store.
        article.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise IngestError(
            "; ".join(
                f"{name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            )
        ) from None
    return article


def _recorded(article: SourceArticle) -> SourceArticle | None:
    """The article as already recorded, by its text or its URL, if it is."""
    existing = SourceArticle.objects.filter(text_sha256=text_sha256(article.text)).first()
    if existing is None and article.url:
        existing = SourceArticle.objects.filter(url=article.url).first()
    return existing


def _store(article: SourceArticle) -> tuple[SourceArticle, bool]:
    """The article, stored unless its URL or its text is already recorded."""
    existing = _recorded(article)
    if existing is not None:
        return existing, False
    article.save()
    return article, True


def _group(candidates: list[Candidate]) -> list[list[Candidate]]:
    """One group per (place, damage type), in the order the article first reports them."""
    groups: dict[tuple[str, str], list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault((candidate.place.key, candidate.damage_type), []).append(candidate)
    return list(groups.values())


def _propose(
    article: SourceArticle, group: list[Candidate], by: User | None
) -> DamageReport | None:
    """A draft report citing the group's sentences (its first MAX_QUOTES_PER_PROPOSAL), unless
    one is already proposed. Its extent and date are those of the surest candidate."""
    first = max(group, key=lambda candidate: candidate.confidence)
    place = first.place
    already = DamageReport.objects.filter(
        site=place.site,
        monument=place.monument,
        damage_type=first.damage_type,
        citations__article=article,
    ).exists()
    if already:
        return None
    label = DamageType(first.damage_type).label
    where = place.monument.name if place.monument else place.site.name
    matches = sorted({word for candidate in group for word in candidate.matches if word})
    report = DamageReport(
        site=place.site,
        monument=place.monument,
        damage_type=first.damage_type,
        extent=first.extent,
        occurred_on=first.when.start,
        occurred_on_precision=first.when.start_precision,
        occurred_until=first.when.end,
        occurred_until_precision=first.when.end_precision,
        certainty=Certainty.MEDIUM,
        assessment_basis=AssessmentBasis.NEWS_REPORT,
        # Never the article's title: a search for one monument must not find the drafts of
        # another that the same article reports.
        summary=f"{label}: {where}. (Proposed from an article: check the place, the date "
        "and the extent.)",
        status=Status.DRAFT,
        created_by=by,
        updated_by=by,
        proposal_confidence=max(candidate.confidence for candidate in group),
        proposal_matches=matches,
    )
    report.full_clean()
    report.save()
    sentences = list(dict.fromkeys(candidate.sentence for candidate in group))
    for sentence in sentences[:MAX_QUOTES_PER_PROPOSAL]:
        citation = Citation(report=report, article=article, quote=sentence)
        citation.full_clean()
        citation.save()
    Proposal.objects.create(
        article=article,
        site=place.site,
        monument=place.monument,
        damage_type=first.damage_type,
        report=report,
    )
    return report
