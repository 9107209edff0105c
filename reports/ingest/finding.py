"""Step 3 of ingestion: find candidate damage in an article's sentences.

A candidate is a place (a monument, or a whole site) and a damage type found in one sentence,
with the words that matched, the date the sentence gives (resolved against the article's date,
with its precision), and a confidence."""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from reports.ingest.lexicon import (
    DAMAGE_CUES,
    GENERIC_DESTRUCTION,
    KIND_WORDS,
    SITE_NAME_PREFIXES,
    SITE_WORDS,
)
from reports.vocabularies import DatePrecision
from sites.models import HeritageSite, Monument

FUZZY_THRESHOLD = 88  # rapidfuzz ratio for a name spelt a little differently ("Kitot")
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_MONTH = "|".join(MONTHS)
# A sentence ends at . ! or ? (and any closing quote or bracket) before a capital or digit.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = re.compile(
    r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|Gen|Col|Lt|Sgt|Capt|Maj|Rev|No|Nos|vs|etc|e\.g|i\.e|U\.S|U\.N|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$"
)


@dataclass(frozen=True)
class Place:
    site: HeritageSite
    monument: Monument | None = None

    @property
    def key(self) -> str:
        """How the labelled cases name places: "palmyra" or "palmyra/monumental-arch"."""
        return self.monument.key if self.monument else self.site.slug


@dataclass
class When:
    start: datetime.date
    start_precision: str
    end: datetime.date | None = None
    end_precision: str = ""
    words: str = ""


@dataclass
class Candidate:
    place: Place
    damage_type: str
    extent: str
    sentence: str
    when: When
    matches: list[str] = field(default_factory=list)
    confidence: float = 0.5


def split_sentences(text: str) -> list[str]:
    """Sentences, each exactly as it stands in the text (so it can be quoted)."""
    sentences = []
    for paragraph in text.splitlines():
        current = ""
        for part in _SENTENCE_END.split(paragraph):
            current = f"{current} {part}" if current else part
            if not _ABBREVIATIONS.search(current):  # "Dr. Smith" goes on
                sentences.append(current.strip())
                current = ""
        if current.strip():
            sentences.append(current.strip())
    return [sentence for sentence in sentences if sentence]


def _fold(text: str) -> str:
    """Lower case, no accents, plain apostrophes: "Ba'al" and "Baʿal" read alike."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[’']s\b", "", text)  # possessive: "the temple's cella" is one temple
    return re.sub(r"[’'ʿʼ`´]", "", text).lower()


class Gazetteer:
    """Every site and monument name, and alternative name, in the database."""

    def __init__(self) -> None:
        self.sites = list(HeritageSite.objects.all())
        self.monuments = list(
            Monument.objects.select_related("site").prefetch_related("alternative_names")
        )
        self.site_names = {
            site: {_fold(site.name), _fold(SITE_NAME_PREFIXES.sub("", site.name))}
            for site in self.sites
        }
        self.monument_names = {
            monument: {_fold(monument.name)}
            | {_fold(alias.name) for alias in monument.alternative_names.all()}
            for monument in self.monuments
        }

    def sites_in(self, text: str) -> list[HeritageSite]:
        """Sites the text names, most mentioned first (monuments count for their site)."""
        folded = _fold(text)
        counts: dict[HeritageSite, int] = {}
        for site, names in self.site_names.items():
            counts[site] = sum(len(re.findall(rf"\b{re.escape(n)}\b", folded)) for n in names)
        for monument, _ in self.monuments_in(text):
            counts[monument.site] = counts.get(monument.site, 0) + 1
        return [site for site, n in sorted(counts.items(), key=lambda i: -i[1]) if n]

    def monuments_in(self, sentence: str) -> list[tuple[Monument, str]]:
        """Monuments the sentence names, exactly (any case, singular or plural) or nearly."""
        folded = _fold(sentence)
        found: dict[Monument, str] = {}
        for monument, names in self.monument_names.items():
            for name in sorted(names, key=len, reverse=True):
                match = re.search(rf"\b{re.escape(name)}(?:s|es)?\b", folded)
                if match:
                    found[monument] = match.group(0)
                    break
        if found:
            return list(found.items())
        # Nothing exact: try names spelt a little differently, window by window.
        words = re.findall(r"[\w-]+", folded)
        for monument, names in self.monument_names.items():
            for name in names:
                size = len(name.split())
                if len(name) < 6:
                    continue
                for i in range(len(words) - size + 1):
                    window = " ".join(words[i : i + size])
                    if fuzz.ratio(window, name) >= FUZZY_THRESHOLD:
                        found[monument] = window
                        break
                if monument in found:
                    break
        return list(found.items())


def find_candidates(
    title: str, text: str, published_on: datetime.date, gazetteer: Gazetteer
) -> list[Candidate]:
    """Every (place, damage) the article's sentences report."""
    sites = gazetteer.sites_in(f"{title}\n{text}")
    if not sites:
        return []
    main_site = sites[0]
    candidates: list[Candidate] = []
    context_date: When | None = None
    recent: list[Monument] = []  # named in the last sentence that named any
    for sentence in split_sentences(text):
        when = resolve_date(sentence, published_on)
        cues = _damage_cues(sentence)
        named = [m for m, _ in gazetteer.monuments_in(sentence) if m.site in sites]
        if cues:
            places = _places(sentence, main_site, sites, gazetteer, recent)
            date = when or _since(context_date, published_on)
            for place, place_words, exact in places:
                for damage_type, extent, cue_words in cues:
                    confidence = 0.45 + (0.25 if exact else 0.1) + (0.15 if when else 0.0)
                    candidates.append(
                        Candidate(
                            place=place,
                            damage_type=damage_type,
                            extent=extent,
                            sentence=sentence,
                            when=date,
                            matches=[place_words, cue_words, date.words],
                            confidence=round(min(confidence + 0.1 * (len(cues) == 1), 0.95), 2),
                        )
                    )
        if when is not None:
            context_date = when
        recent = named or recent
    return candidates


def _damage_cues(sentence: str) -> list[tuple[str, str, str]]:
    cues = []
    for damage_type, extent, pattern in DAMAGE_CUES:
        match = pattern.search(sentence)
        if match:
            cues.append((damage_type, extent, match.group(0)))
    if not cues:
        match = GENERIC_DESTRUCTION.search(sentence)
        if match:
            cues.append(("demolition", "destroyed", match.group(0)))
    return cues


def _places(
    sentence: str,
    main_site: HeritageSite,
    sites: list[HeritageSite],
    gazetteer: Gazetteer,
    recent: list[Monument],
) -> list[tuple[Place, str, bool]]:
    """(place, the words naming it, whether named exactly) for the sentence. A kind word
    ("the temple") names the one monument of that kind, or the one just named before; statues
    just after a museum, or in one the sentence names, are in it; otherwise it speaks of the
    whole site."""
    places: dict[str, tuple[Place, str, bool]] = {}
    named = gazetteer.monuments_in(sentence)
    remaining = _fold(sentence)
    for monument, words in named:
        if monument.site in sites:
            places[monument.key] = (Place(monument.site, monument), words, True)
            remaining = remaining.replace(words, " ")
    for kind, pattern in KIND_WORDS.items():
        match = pattern.search(remaining)
        if not match:
            continue
        candidates = [m for m in gazetteer.monuments if m.site == main_site and m.kind == kind]
        plural = match.group(0).endswith("s") and not match.group(0).endswith("ss")
        just_named = [m for m in recent if m.kind == kind]
        if kind == Monument.Kind.STATUE and not candidates:
            just_named = [m for m in recent if m.kind == Monument.Kind.MUSEUM]
        if len(candidates) == 1 and not plural:
            monument = candidates[0]
        elif len(just_named) == 1 and (not plural or kind == Monument.Kind.STATUE):
            monument = just_named[0]
        elif kind == Monument.Kind.STATUE and any(
            m.kind == Monument.Kind.MUSEUM for m, _ in named
        ):
            continue  # "statues in the Mosul Museum": the museum named is the place
        else:  # several, or none recorded: the source speaks of the site
            if main_site.slug in places:  # "two temples ... and a dozen tower tombs"
                place, words, exact = places[main_site.slug]
                places[main_site.slug] = (place, f"{words}; {match.group(0)}", exact)
            else:
                places[main_site.slug] = (Place(main_site), match.group(0), False)
            continue
        places.setdefault(monument.key, (Place(monument.site, monument), match.group(0), False))
    if not places:
        site_match = SITE_WORDS.search(sentence)
        named_sites = [
            s for s in sites if any(n in _fold(sentence) for n in gazetteer.site_names[s])
        ]
        if site_match or named_sites:
            site = named_sites[0] if named_sites else main_site
            words = site_match.group(0) if site_match else site.name
            places[site.slug] = (Place(site), words, bool(named_sites))
    return list(places.values())


def _since(context: When | None, published_on: datetime.date) -> When:
    """A sentence without a date happened between the last date the article gave and the
    article itself ("It has since blown up..."); without any, by the article's date."""
    if context is None:
        return When(published_on, DatePrecision.DAY, words="")
    end = published_on if published_on > context.start else None
    return When(
        context.start,
        context.start_precision,
        end,
        DatePrecision.DAY if end else "",
        words=f"since {context.words}",
    )


def resolve_date(sentence: str, published_on: datetime.date) -> When | None:
    """The first date the sentence gives, resolved against the article's date, keeping its
    precision: "30 August 2015" (day), "in May 2015" and "last September" (month), "in 2015"
    (year), "on Thursday", "yesterday" and "today" (day)."""
    text = sentence.lower()
    patterns = [
        (rf"\b(\d{{1,2}}) ({_MONTH}),? (\d{{4}})\b", "dmy"),
        (rf"\b({_MONTH}) (\d{{1,2}}),? (\d{{4}})\b", "mdy"),
        (rf"\b({_MONTH}),? (\d{{4}})\b", "my"),
        (rf"\b(\d{{1,2}}) ({_MONTH})\b", "dm"),
        (rf"\b({_MONTH}) (\d{{1,2}})\b", "md"),
        (rf"\blast ({_MONTH})\b", "last-month"),
        (
            r"\b(?:on |last )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
            "weekday",
        ),
        (r"\byesterday\b", "yesterday"),
        (r"\btoday\b|\bthis morning\b", "today"),
        (r"\b(?:in|since|during|by) (\d{4})\b", "y"),
    ]
    found = []
    for pattern, form in patterns:
        match = re.search(pattern, text)
        if match:
            found.append((match.start(), form, match))
    for _, form, match in sorted(found, key=lambda f: f[0]):
        when = _to_date(form, match, published_on)
        if when is not None:
            when.words = sentence[match.start() : match.end()]
            return when
    return None


def _parse_on_or_before(words: str, base: datetime.date) -> datetime.date | None:
    """dateparser, reading a partial date as the last one on or before `base`."""
    import dateparser

    day_after = datetime.datetime.combine(base + datetime.timedelta(days=1), datetime.time())
    settings = {"RELATIVE_BASE": day_after, "PREFER_DATES_FROM": "past"}
    parsed = dateparser.parse(re.sub(r"^(?:on|last) ", "", words.lower()), settings=settings)
    if parsed is None or parsed.date() > base:
        return None
    return parsed.date()


def _to_date(form: str, match: re.Match, base: datetime.date) -> When | None:
    groups = match.groups()
    try:
        if form == "dmy":
            day, month, year = int(groups[0]), MONTHS[groups[1]], int(groups[2])
            return When(datetime.date(year, month, day), DatePrecision.DAY)
        if form == "mdy":
            month, day, year = MONTHS[groups[0]], int(groups[1]), int(groups[2])
            return When(datetime.date(year, month, day), DatePrecision.DAY)
        if form == "my":
            return When(datetime.date(int(groups[1]), MONTHS[groups[0]], 1), DatePrecision.MONTH)
        if form == "y":
            return When(datetime.date(int(groups[0]), 1, 1), DatePrecision.YEAR)
    except ValueError:  # "31 February 2015"
        return None
    try:
        return _relative_to(form, groups, match, base)
    except (OverflowError, ValueError):  # "yesterday" of an article dated 1 January 1
        return None


def _relative_to(form: str, groups: tuple, match: re.Match, base: datetime.date) -> When | None:
    """A date given relative to the article's (`base`), or None."""
    if form in ("dm", "md", "weekday"):
        # "on 23 August", "on Monday": the last such day on or before the article's date.
        parsed = _parse_on_or_before(match.group(0), base)
        return When(parsed, DatePrecision.DAY) if parsed else None
    if form == "last-month":
        month = MONTHS[groups[0]]
        year = base.year if month < base.month else base.year - 1
        return When(datetime.date(year, month, 1), DatePrecision.MONTH)
    if form == "yesterday":
        return When(base - datetime.timedelta(days=1), DatePrecision.DAY)
    if form == "today":
        return When(base, DatePrecision.DAY)
    return None
