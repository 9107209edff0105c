"""Step 3 of ingestion: find the damage an article reports, as candidates.

A candidate is a place (a monument, or a whole site) and a damage type said of it in one
sentence, with the words that matched, the date said of it (resolved against the article's
date, with its precision), and a confidence. The steps, for each sentence:

1. the claims: words that say how damage was done (a means: "blew up", "shelling", "looted")
   or that it was done without saying how ("destroyed", "damaged", "hit");
2. what cancels a claim: a negation, a denial, a threat or a fear in its clause ("was not
   damaged", "denied that… was hit", "could destroy");
3. the places the claim is said of: named monuments, kind words ("the temple"), site names and
   site words ("the ruins"), read from the claim's grammar: after an active verb ("blew up the
   arch and the temple": both), before a passive one ("the arch was blown up"), after a noun
   ("the destruction of the arch"); a list shares its claim, and two claims in one sentence
   each keep their own places;
4. the date said nearest the claim in its clause, never one of another event ("built in 1229",
   "sandbagged since 2012"); a claim without one takes the last date an earlier claim of the
   article gave, else the article's date."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from reports.ingest.dates import When, dates_in, resolve_date
from reports.ingest.lexicon import (
    AIRCRAFT,
    ALL_NAMED_SO_FAR,
    ALONGSIDE,
    ARMED_AGENT,
    AS_A_USE,
    BOMBERS_IN_THE_AIR,
    BOMBERS_ON_THE_GROUND,
    BOMBING,
    CANCEL_AFTER,
    CANCEL_BEFORE,
    CLAUSE_BREAK,
    CONTAINER_NOUNS,
    CONTENTS,
    CONTRAST,
    DAMAGE_TO_REPAIR,
    DASH,
    EFFECT_WORDS,
    EXCEPT,
    EXTENT_WORDS,
    GENERIC_DAMAGE,
    INTACT,
    MEANS,
    MEANS_LINK_AFTER,
    MEANS_LINK_BEFORE,
    MEANS_NOT_KNOWN,
    NATURAL_EVENT,
    NO_MEANS_CAUSE,
    NOT_HERITAGE_STOLEN,
    NOUN_OF,
    PART_NOUN,
    PASSIVE_BEFORE,
    PLANTED,
    REPAIR_NEWS,
    REPAIR_WANTED,
    SOFT_MILITARY_USE,
    SUBJECT_NEGATED,
    USED_EXPLOSIVES,
    WEAK_MEANS,
)
from reports.ingest.places import Gazetteer, Mention, Place, fold, fold_name, strip_dateline
from reports.vocabularies import DamageType, DatePrecision, Extent
from sites.models import HeritageSite, Monument

__all__ = [
    "Candidate",
    "Gazetteer",
    "Place",
    "When",
    "find_candidates",
    "resolve_date",
    "split_sentences",
]

# A sentence ends at . ! or ? (and any closing quote or bracket) before a capital or digit.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = re.compile(
    r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|Gen|Col|Lt|Sgt|Capt|Maj|Rev|No|Nos|vs|etc|e\.g|i\.e|U\.S|U\.N|"
    r"U\.K|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mt|Ft|Sen|Rep|Gov|Pres|Jr|Sr|ca|c|"
    r"[A-Z])\.$"
)
# Between two claims of a list: "bombs and a bulldozer", "looted, smashed and burned".
PARTICIPLE_AFTER_COMMA = re.compile(r",\s*(?:\w+ly\s+)?(?:also\s+)?$")
_PARTICIPLE_LIST = re.compile(
    r"\s*,\s*(?:and\s+)?[a-z]+ed\s+(?:by|with)\s+(?:an?\s+|the\s+)?"
    r"|\s*,?\s*(?:and|or)\s+(?:then\s+|later\s+)?"  # "has been looted and burned"
)
_LIST_GAP = re.compile(r"[\s,]*(?:and|or|as well as)?\s*(?:an?|the|with)?\s*", re.I)
# A quotation longer than this is split into its sentences all the same (an unclosed quote
# mark must not make a paragraph one sentence).
MAX_QUOTED_CHARACTERS = 600
# The longest sentence read whole: the corpus's 2,110 sentences are at most 580 characters.
MAX_SENTENCE_CHARACTERS = 600
# How far a cancelling word reaches back from a claim (in characters of its clause).
CANCEL_REACH = 60
# Means that destroy or damage buildings and statues: what a claim without means may borrow
# from nearby.
DESTRUCTIVE = {
    DamageType.EXPLOSIVES,
    DamageType.HEAVY_WEAPONS,
    DamageType.DEMOLITION,
    DamageType.BULLDOZING,
    DamageType.FIRE,
    DamageType.NATURAL,
    DamageType.SMASHING,
}
# Claims whose date may be a start: "occupied since May 2015".
LASTING = {DamageType.MILITARY_USE, DamageType.MINES, DamageType.MISUSE}
# Damage said to be older than this is history: it does not tell the means of the article's news.
HISTORY_DAYS = 730


@dataclass
class Candidate:
    place: Place
    damage_type: str
    extent: str
    sentence: str
    when: When
    matches: list[str] = field(default_factory=list)
    confidence: float = 0.5
    strength: str = "named"  # how the place was named: _confidence's keys
    sentence_index: int = 0
    kind_word: str = ""  # the kind of monument a site's claim names unnamed ("a church")
    means_said: bool = True  # False where the claim gave no means ("destroyed")
    planted: bool = False  # explosives planted: mines, unless the article says they went off
    bombing: bool = False  # said as "bombing" or "bombed": from the air unless the article says


@dataclass
class _Found:
    """A place a claim is said of: the words naming it, how strongly (a key of _confidence),
    and for a site's unnamed monument the kind named ("a church")."""

    place: Place
    words: str
    strength: str
    kind_word: str = ""
    counted: bool = False  # the kind word has a number: "three tower tombs"
    locative: bool = False  # named as where something else is ("in the town of Minya")
    nearby: bool = False  # named as what something else is near ("near Lima")


@dataclass
class _MeansSaid:
    """A destructive means a claim gave, kept for the claims nearby that give none."""

    damage_type: str
    sentence_index: int
    place_keys: list[str]  # the places it was said of; none: "the blast", said of nothing named
    bombing: bool  # "bombing" with nothing in the sentence flying: a planted bomb, if the
    # article says so elsewhere in plain words
    of_the_news: bool  # counts among the article's means: not planted, not history


@dataclass
class _Claim:
    start: int
    end: int
    words: str
    damage_type: str  # "" for damage said without its means
    extent: str
    planted: bool = False


def split_sentences(text: str) -> list[str]:
    """Sentences, each exactly as it stands in the text (so it can be quoted). A quotation of
    several sentences stays one ("“There were about 200 panels. Daesh stole some of them…,”
    he said"): what it says is one speaker's, and the words after it say whose. A "sentence"
    longer than any in real news is cut into parts (see _parts)."""
    return [part for sentence in _sentences(text) for part in _parts(sentence)]


def _parts(sentence: str) -> list[str]:
    """A sentence in parts of at most MAX_SENTENCE_CHARACTERS, each cut after the last clause
    mark (, ; : or a dash) in its second half, else after the last space, else where it must:
    reading a sentence costs more than its length (each claim looks at its clause), so a text
    of one 40 KB paragraph took 44 s, and a part's cost is bounded."""
    parts = []
    while len(sentence) > MAX_SENTENCE_CHARACTERS:
        head = sentence[:MAX_SENTENCE_CHARACTERS]
        cut = max(head.rfind(mark) for mark in (", ", "; ", ": ", " — ", " – "))
        if cut < MAX_SENTENCE_CHARACTERS // 2:
            cut = head.rfind(" ")
        cut = cut + 1 if cut > 0 else MAX_SENTENCE_CHARACTERS
        parts.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*parts, sentence] if sentence else parts


def _sentences(text: str) -> list[str]:
    sentences = []
    for paragraph in text.splitlines():
        current = ""
        for part in _SENTENCE_END.split(paragraph):
            current = f"{current} {part}" if current else part
            if _ABBREVIATIONS.search(current):  # "Dr. Smith" goes on
                continue
            if _open_quote(current) and len(current) < MAX_QUOTED_CHARACTERS:
                continue
            sentences.append(current.strip())
            current = ""
        if current.strip():
            sentences.append(current.strip())
    return [sentence for sentence in sentences if sentence]


def _open_quote(text: str) -> bool:
    """Whether a quotation opened in the text is still open at its end."""
    if text.count("“") > text.count("”"):
        return True
    return text.count('"') % 2 == 1


def find_candidates(
    title: str, text: str, published_on: datetime.date, gazetteer: Gazetteer
) -> list[Candidate]:
    """Every (place, damage) the article's sentences report, for the sites it is about."""
    sentences = split_sentences(text)
    site_counts = gazetteer.article_sites(title, sentences)
    if not site_counts:
        return []
    ranked = site_counts.most_common()
    sites = [site for site, _ in ranked]
    # A site's words ("the ruins") and unnamed monuments ("a mosque") in a sentence that names
    # no site are the main site's only when the article is clearly about it.
    dominant = len(ranked) == 1 or ranked[0][1] >= max(2, 2 * ranked[1][1])
    reader = _ArticleReader(gazetteer, sites, published_on, dominant)
    for index, sentence in enumerate(sentences):
        reader.read(strip_dateline(sentence) if index == 0 else sentence, sentence)
    candidates = reader.finish()
    if (
        REPAIR_NEWS.search(title)
        and not REPAIR_WANTED.search(title)
        and not _claims_in_title(title)
    ):
        # A reopening or a restoration: the damage it recalls is history, worth a draft only
        # where the article names the monument and the means.
        candidates = [
            c
            for c in candidates
            if c.strength in ("named", "fuzzy", "anaphora") and c.damage_type != DamageType.UNKNOWN
        ]
    return candidates


def _claims_in_title(title: str) -> bool:
    return any(not _cancelled(title, claim) for claim in _claims(title))


class _ArticleReader:
    """Reads an article's sentences in order, keeping what later sentences refer back to: the
    monuments just named ("it", "the temple") and the last date a claim was given."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        sites: list[HeritageSite],
        published_on: datetime.date,
        dominant: bool,
    ) -> None:
        self.gazetteer = gazetteer
        self.sites = sites
        self.main_site = sites[0]
        self.default_site: HeritageSite | None = sites[0] if dominant else None
        self.sentence_site: HeritageSite | None = None
        # The site named last: what "this site" and "the ruins" mean in an article about several
        # (a report with a heading per site).
        self.last_site: HeritageSite | None = None
        self.text = ""  # the sentence being read
        self.sentence_elsewhere = False  # it names no site, and a town that no site is
        self.sentence_index = -1
        # Every destructive means a claim gave, in the order said: finish() tallies them by
        # sentence, by place and for the article, for the claims that give none.
        self.means_said: list[_MeansSaid] = []
        self.named_in_article: list[Monument] = []
        self.denied: set[tuple[str, int]] = set()
        # The means said in words that can mean only one ("blew up", "air strike"), not
        # "bombing", which is an air raid's or a planted bomb's.
        self.plain_means: set[str] = set()
        self.published_on = published_on
        self.recent: list[Monument] = []
        self.just_before: list[Monument] = []
        self.referents: list[Monument] = []
        self.last_when: When | None = None
        self.candidates: list[Candidate] = []
        # finish()'s tallies of means_said: by sentence, by place and for the whole article.
        self.sentence_means: list[list[str]] = []
        self.means: dict[str, list[str]] = {}
        self.article_means: Counter[str] = Counter()

    def read(self, text: str, quote: str) -> None:
        """One sentence: `text` is what is read (without a dateline), `quote` what is cited."""
        self.text = text
        mentions = self.gazetteer.mentions(text, self.sites, self.last_site)
        claims = _claims(text)
        dates = dates_in(text, self.published_on)
        self.sentence_index += 1
        named_here: list[Monument] = []
        self.sentence_site = None
        for mention in mentions:
            if mention.kind == "monument" and len(mention.monuments) == 1:
                if not mention.locative or not named_here:  # "… in the main street": where
                    named_here.append(mention.monuments[0])
                self.sentence_site = self.sentence_site or mention.monuments[0].site
            elif mention.kind == "site" and self.sentence_site is None:
                self.sentence_site = mention.site
        self.sentence_elsewhere = self.sentence_site is None and any(
            fold_name(match.group(1)) not in self.gazetteer.names.sites
            and fold(match.group(1)) not in self.gazetteer.country_words()
            for match in _TOWN_OF.finditer(text)
        )
        for mention in mentions:
            if mention.kind == "kind word" and mention.definite and not mention.plural:
                place = self._kind_word(mention)
                if place is not None and place.monument is not None:
                    named_here.append(place.monument)
        self.referents = named_here or self.just_before
        self.last_site = self.sentence_site or self.last_site
        respective = self._respectively(text, claims, mentions)
        for claim in claims:
            if _cancelled(text, claim):
                if _DENIED.search(text):
                    self.denied.update(
                        (f.place.key, self.sentence_index)
                        for f in self._places_of(text, claim, claims, mentions)
                    )
                continue
            if respective is not None:
                places = respective.get(id(claim), [])
            else:
                places = self._places_of(text, claim, claims, mentions)
            when = self._when(text, claim, dates)
            # "artillery fire … in 1877" in an article about an earthquake: history, not one of
            # the means the article's news was done by.
            history = (
                bool(when.words) and (self.published_on - _last_day(when)).days > HISTORY_DAYS
            )
            said_bombing = _bombing(claim)
            bombing = said_bombing and not AIRCRAFT.search(text)
            if claim.damage_type in DESTRUCTIVE or claim.damage_type == DamageType.NEGLECT:
                # (neglect: the means of a collapse said of the same place or in the same
                # sentence, never of the article's other damage)
                of_the_news = (
                    not claim.planted and not history and claim.damage_type in DESTRUCTIVE
                )
                if of_the_news and not said_bombing:
                    self.plain_means.add(claim.damage_type)
                self.means_said.append(
                    _MeansSaid(
                        claim.damage_type,
                        self.sentence_index,
                        [found.place.key for found in places],
                        bombing,
                        of_the_news,
                    )
                )
            for found in places:
                place, place_words, strength = found.place, found.words, found.strength
                self.candidates.append(
                    Candidate(
                        place=place,
                        damage_type=claim.damage_type,
                        extent=claim.extent,
                        sentence=quote,
                        when=when,
                        matches=[w for w in (place_words, claim.words, when.words) if w],
                        confidence=_confidence(strength, claim, bool(when.words)),
                        strength=strength,
                        sentence_index=self.sentence_index,
                        kind_word=found.kind_word,
                        means_said=bool(claim.damage_type),
                        planted=claim.planted,
                        bombing=bombing,
                    )
                )
        # "It" and "its dome" mean a monument of this sentence or the one before (named, or
        # referred to: "used the building as a base. … graffiti on its walls"); "the temple"
        # may mean one named further back.
        referred = [
            c.place.monument
            for c in self.candidates
            if c.sentence_index == self.sentence_index
            and c.strength == "anaphora"
            and c.place.monument is not None
        ]
        self.just_before = named_here or list(dict.fromkeys(referred))
        if named_here:
            self.recent = named_here
            self.named_in_article += named_here

    def finish(self) -> list[Candidate]:
        """The candidates, each claim without means given the means the article gives for
        the same place (else "unknown"), and a whole site's claim dropped where its sentence
        names the site only as where a monument of it took the same damage, or names one of
        its monuments beside damage said without means."""
        self._name_unnamed()
        # "Thursday's bombing … struck the mausoleum" where militants "blew up" tombs and
        # nothing came from the air: a planted bomb, wherever the article says it.
        bombing_on_the_ground = (
            self.plain_means & {DamageType.EXPLOSIVES, DamageType.HEAVY_WEAPONS}
        ) == {DamageType.EXPLOSIVES}
        if bombing_on_the_ground:
            for candidate in self.candidates:
                if candidate.bombing:
                    candidate.damage_type = DamageType.EXPLOSIVES
        self._tally_means(bombing_on_the_ground)
        for candidate in self.candidates:
            if not candidate.damage_type:
                candidate.damage_type = self._means_for(candidate)
        blown_up = {c.place.key for c in self.candidates if c.damage_type == DamageType.EXPLOSIVES}
        only_where = self._towns_only_where()
        return [
            candidate
            for candidate in self.candidates
            if (candidate.place.key, candidate.damage_type) not in only_where
            # "The Roman-era ruins themselves have not been damaged": the article's word on the
            # place stands over its damage said in passing elsewhere (not over its use as a base)
            and not (
                candidate.damage_type in DESTRUCTIVE | {DamageType.UNKNOWN}
                and any(
                    key == candidate.place.key and index != candidate.sentence_index
                    for key, index in self.denied
                )
            )
            and not (candidate.planted and candidate.place.key in blown_up)
            # a beheading "in Palmyra" is a crime in a town; one in its theatre, the theatre's
            # misuse as a venue
            and not (
                candidate.damage_type == DamageType.MISUSE and candidate.place.monument is None
            )
            and not (
                candidate.place.monument is None
                and candidate.strength in ("site", "site word")
                and any(
                    other.sentence == candidate.sentence
                    and other.place.monument is not None
                    and other.place.site == candidate.place.site
                    and (other.damage_type == candidate.damage_type or not candidate.means_said)
                    for other in self.candidates
                )
            )
        ]

    def _towns_only_where(self) -> set[tuple[str, str]]:
        """A site that is no World Heritage property (a town, often), in an article about
        monuments of it: its unnamed parts ("two churches in Santiago", "its monuments") are
        the ones the article names. (Damage said of its name stays its own: Nimrud, no
        property, was bulldozed as a whole.)"""
        monuments_of = {c.place.site.pk for c in self.candidates if c.place.monument is not None}
        strengths: dict[tuple[HeritageSite, str], set[str]] = {}
        for c in self.candidates:
            site = c.place.site
            if c.place.monument is None and site.unesco_id is None and site.pk in monuments_of:
                strengths.setdefault((site, c.damage_type), set()).add(c.strength)
        return {
            (site.slug, damage_type)
            for (site, damage_type), said in strengths.items()
            if said <= {"site kind", "site word"}
        }

    def _tally_means(self, bombing_on_the_ground: bool) -> None:
        """The means said, by sentence (those said of nothing named: "the blast"), by place
        and for the article's news."""
        self.sentence_means = [[] for _ in range(self.sentence_index + 1)]
        for said in self.means_said:
            means = (
                DamageType.EXPLOSIVES
                if bombing_on_the_ground and said.bombing
                else said.damage_type
            )
            if said.of_the_news:
                self.article_means[means] += 1
            if not said.place_keys:
                self.sentence_means[said.sentence_index].append(means)
            for key in said.place_keys:
                self.means.setdefault(key, []).append(means)

    def _name_unnamed(self) -> None:
        """ "A nearby church" is the site's only church the article names elsewhere ("the church
        named Saint Emmanuel")."""
        named = {
            c.place.monument
            for c in self.candidates
            if c.place.monument is not None and c.strength in ("named", "fuzzy", "kind")
        } | set(self.named_in_article)
        for candidate in self.candidates:
            if candidate.strength != "site kind" or not candidate.kind_word:
                continue
            of_kind = [
                m
                for m in named
                if m.site == candidate.place.site and m.kind == candidate.kind_word
            ]
            if len(of_kind) == 1:
                candidate.place = Place(of_kind[0].site, of_kind[0])
                candidate.strength = "kind"

    def _means_for(self, candidate: Candidate) -> str:
        """The means of damage said without one: the means its sentence gives, else the one
        the article gives for the same place (the one it gives most, a fire last: it is often
        what shelling left), else the article's only means of destruction; else unknown
        ("destroyed" alone is not a demolition)."""
        index = candidate.sentence_index
        if self.sentence_means[index]:
            return self.sentence_means[index][0]
        means = self.means.get(candidate.place.key)
        if not means and set(self.means.get(candidate.place.site.slug, ())) == {
            DamageType.NATURAL
        }:
            # An earthquake or a flood strikes the whole site: "Kumamoto Castle was damaged in
            # an earthquake" … "two turrets also collapsed". (Not shelling: one shell is not
            # every monument's.)
            return DamageType.NATURAL
        if means:
            # (of two said as often, the one said first: the same answer every run)
            return max(dict.fromkeys(means), key=lambda m: (means.count(m), m != DamageType.FIRE))
        if len(self.article_means) == 1:  # "after the earthquake", "russian forces bombed"
            return next(iter(self.article_means))
        # An earthquake or a flood is the whole article's event, beside the fires it set off.
        natural = self.article_means[DamageType.NATURAL]
        if natural and natural * 3 >= self.article_means.total() * 2:
            return DamageType.NATURAL
        return DamageType.UNKNOWN

    # -- places --------------------------------------------------------------------------------

    def _places_of(
        self,
        text: str,
        claim: _Claim,
        claims: list[_Claim],
        mentions: list[Mention],
        borrowing: str = "",
    ) -> list[_Found]:
        """The places one claim is said of (`borrowing`: from the claims after it, or before
        it, for a claim whose own words name none; never both ways)."""
        event = claim.damage_type == DamageType.NATURAL and NATURAL_EVENT.fullmatch(claim.words)
        if event and NOUN_OF.match(text[claim.end :]):
            return []  # "two earthquakes in Kahramanmaraş": where the earth shook
        excepted = _excepted(text, claim, mentions)
        window = [m for m in _window(text, claim, claims, mentions) if m not in excepted]
        places = self._resolve(window)
        if excepted and places:
            # "all the aforementioned sites except for the Citadel": not the Citadel either.
            left_out = {found.place.key for found in self._resolve(excepted)}
            places = [found for found in places if found.place.key not in left_out]
        if places:
            return places
        index = claims.index(claim)
        if (
            borrowing != "back"
            and index + 1 < len(claims)
            and _LIST_GAP.fullmatch(text[claim.end : claims[index + 1].start])
        ):
            # "used bombs and a bulldozer to destroy the tomb": the list shares its places.
            return self._places_of(text, claims[index + 1], claims, mentions, "forward")
        if (
            borrowing != "forward"
            and index
            and _PARTICIPLE_LIST.fullmatch(text[claims[index - 1].end : claim.start])
        ):
            # "a mosque was burned, scarred by bullets and trashed", "looted and burned": the
            # first one's places.
            return self._places_of(text, claims[index - 1], claims, mentions, "back")
        if event:
            return []  # "the earthquakes did not cause any damage to …": said of nothing
        # The claim's own window names nothing: anything the sentence names, nearest first,
        # not back past a "but".
        contrast = _contrast_start(text, claim)
        rest = sorted(
            (m for m in mentions if m not in window and m not in excepted and m.start >= contrast),
            key=lambda m: min(abs(m.start - claim.end), abs(claim.start - m.end)),
        )
        for mention in rest:
            places = self._resolve([mention])
            if places:
                return places
        return []

    def _resolve(self, window: list[Mention]) -> list[_Found]:
        """The places a claim's mentions name: monuments before sites (a site named beside a
        monument says where the monument is), a site's own words last. A kind of monument
        named with sites is each site's ("castles at Aleppo, Hama and Homs")."""
        window = _without_locatives(window)
        monuments: dict[str, _Found] = {}
        sites: dict[str, _Found] = {}
        named_sites = [m.site for m in window if m.kind == "site" and m.site is not None]
        for mention in window:
            if mention.kind == "monument" and mention.nearby:
                continue  # "a blaze at a car park near the Citadel": a point of reference
            if mention.kind in ("site word", "kind word") and self._country_wide(mention):
                continue
            if mention.kind == "monument":
                monument = mention.monuments[0]
                strength = "fuzzy" if mention.fuzzy else "named"
                monuments.setdefault(
                    monument.key, _Found(Place(monument.site, monument), mention.words, strength)
                )
            elif mention.kind == "kind word" and mention.plural and len(named_sites) > 1:
                for named_site in named_sites:
                    of_kind = self.gazetteer.monuments_called(named_site, mention)
                    if len(of_kind) == 1:
                        at_site = Place(named_site, of_kind[0])
                        monuments.setdefault(at_site.key, _Found(at_site, mention.words, "kind"))
            elif mention.kind == "kind word":
                called = self._kind_word(mention)
                if called is not None and called.monument is not None:
                    monuments.setdefault(called.key, _Found(called, mention.words, "kind"))
                elif called is not None and any(
                    other.kind == "monument"
                    and _HELD_IN.fullmatch(self.text[mention.end : other.start])
                    for other in window
                ):
                    # "statues in the Palmyra Museum", "tombstones in the Valley of the Tombs":
                    # what the named monument holds, its damage, not the site's besides
                    continue
                elif called is not None:
                    # Unnamed monuments of a kind say more than the site's own words.
                    known = sites.get(called.key)
                    words = mention.words
                    if known is not None and known.strength == "site kind":
                        words = f"{known.words}; {words}"  # "two temples … a dozen tower tombs"
                    sites[called.key] = _Found(
                        called, words, "site kind", mention.monument_kind, mention.counted
                    )
            elif mention.kind == "anaphora" and ALL_NAMED_SO_FAR.search(mention.words):
                # "the aforementioned sites": those the article has reported damage to so far
                reported = [c.place.monument for c in self.candidates if c.place.monument]
                for monument in dict.fromkeys(reported):
                    referred = Place(monument.site, monument)
                    monuments.setdefault(referred.key, _Found(referred, mention.words, "anaphora"))
            elif mention.kind == "anaphora" and (len(self.referents) == 1 or mention.plural):
                for monument in self.referents:
                    referred = Place(monument.site, monument)
                    monuments.setdefault(referred.key, _Found(referred, mention.words, "anaphora"))
            elif mention.kind == "site" and mention.site is not None:
                sites.setdefault(
                    mention.site.slug,
                    _Found(
                        Place(mention.site),
                        mention.words,
                        "site",
                        locative=mention.locative,
                        nearby=mention.nearby,
                    ),
                )
            elif mention.kind == "site word" and (container := self._container(mention)):
                held_in = Place(container.site, container)
                monuments.setdefault(held_in.key, _Found(held_in, mention.words, "contents"))
            elif mention.kind == "site word":
                whole = self.sentence_site or self.last_site or self.default_site
                if self.sentence_elsewhere:
                    whole = None  # "ancient artefacts" of "the Iraqi city of Mosul"
                if whole is not None:
                    sites.setdefault(whole.slug, _Found(Place(whole), mention.words, "site word"))
        if monuments:
            # Unnamed monuments of a kind ("a dozen tower tombs") beside named ones are the
            # site's too; a site's name or words beside a monument of it only say where it is,
            # another site named in the list is one more place ("the Cathedral, the Cerro de la
            # Estrella").
            where = {found.place.site for found in monuments.values()}
            others = [
                found
                for found in sites.values()
                if (found.strength == "site kind" and found.counted)
                or (
                    found.strength == "site"
                    and found.place.site not in where
                    and not found.locative
                )
            ]
            return [*monuments.values(), *others]
        # "at the ruins of El Paraiso, near Lima": Lima says where El Paraiso is.
        said_of = [found for found in sites.values() if not found.nearby]
        return said_of or list(sites.values())

    def _respectively(
        self, text: str, claims: list[_Claim], mentions: list[Mention]
    ) -> dict[int, list[_Found]] | None:
        """ "The Temple of Bel and the Lion of Al-lat were blown up and smashed, respectively",
        "… destroyed, the first with explosives and the second by bulldozers": each monument
        with its means, in order (by `id` of the claim), where as many of each are said."""
        if not _RESPECTIVELY.search(text):
            return None
        named = [
            m for m in mentions if m.kind == "monument" and len(m.monuments) == 1 and not m.nearby
        ]
        monuments = list(dict.fromkeys(m.monuments[0] for m in named))
        if len(monuments) < 2 and _FORMER_LATTER.search(text):
            # "… the Agora and the Tetrapylon. The former …": the last two named
            monuments = list(self.just_before[-2:])
        means: list[_Claim] = []
        for claim in claims:
            if claim.damage_type and not _cancelled(text, claim):
                if not means or means[-1].damage_type != claim.damage_type:
                    means.append(claim)
        if len(monuments) < 2 or len(means) != len(monuments):
            return None
        words = {m.monuments[0]: m.words for m in named}
        return {
            id(claim): [_Found(Place(monument.site, monument), words.get(monument, ""), "named")]
            for claim, monument in zip(means, monuments, strict=True)
        }

    def _country_wide(self, mention: Mention) -> bool:
        """ "Looting ancient sites across Iraq and Syria", "museums around the world": a
        country's or the world's, no one site's."""
        wide = _ACROSS.match(self.text[mention.end :])
        if wide is None:
            return False
        return wide.group(1) is None or fold(wide.group(1)) in self.gazetteer.country_words()

    def _container(self, mention: Mention) -> Monument | None:
        """The museum (library, archive) just named, for words that name what it holds: "the
        artefacts inside were also damaged"."""
        if not CONTENTS.match(mention.words):
            return None
        if self.sentence_elsewhere:
            return None  # "… in the Iraqi city of Mosul, ancient artefacts at the museum"
        holders = [
            m
            for m in self.referents
            if m.kind == Monument.Kind.MUSEUM or self.gazetteer.heads[m.pk] & CONTAINER_NOUNS
        ]
        return holders[0] if len(holders) == 1 else None

    def _kind_word(self, mention: Mention) -> Place | None:
        """ "The temple" is the one temple of the site, or the one just named; "temples" and
        "a temple" are the site's, unnamed."""
        if mention.definite and not mention.plural and self.sentence_site is None:
            # "The quake severely damaged the castle's stone foundation" after "the Nanao Castle
            # Ruins in Nanao": the one of its kind just named, whatever the article's first site
            just_called = [m for m in self.recent if self.gazetteer.called(m, mention)]
            if len(just_called) == 1:
                return Place(just_called[0].site, just_called[0])
        site = self.sentence_site or self.main_site
        elsewhere = _ELSEWHERE.match(self.text[mention.end :])
        if self.sentence_elsewhere or (
            self.sentence_site is None
            and elsewhere
            and fold(elsewhere.group(1)) not in self.gazetteer.country_words()
        ):
            return None  # "the central museum in Mosul", "two (mosques) in Basra"
        of_kind = self.gazetteer.monuments_called(site, mention)
        just_named = [m for m in self.recent if m in of_kind]
        if mention.plural and mention.definite and len(of_kind) == 1 and _plural_name(of_kind[0]):
            # "the giant Buddha statues": the site's one record of them, "Buddhas of Bamiyan"
            return Place(site, of_kind[0])
        if (
            not mention.plural
            and not mention.definite
            and len(of_kind) == 1
            and self.sentence_site is not None
            and _IN_THE_TOWN.match(self.text[mention.end :])
        ):
            # "struck a museum in the centre of the eastern Ukrainian city of Kupiansk": the
            # town's one museum on record (not "a small mosque in the famous … square")
            return Place(site, of_kind[0])
        if mention.plural or not mention.definite:
            if mention.monument_kind == Monument.Kind.STATUE:
                museums = [m for m in self.recent if m.kind == Monument.Kind.MUSEUM]
                if len(museums) == 1:  # statues just after a museum are in it
                    return Place(museums[0].site, museums[0])
            if not mention.monument_kind:
                return None  # "towers", "a bridge": not a kind the site's monuments have
            unnamed_at = self.sentence_site or self.last_site or self.default_site
            return Place(unnamed_at) if unnamed_at is not None else None
        if len(just_named) == 1:
            return Place(just_named[0].site, just_named[0])
        if len(of_kind) == 1:
            return Place(site, of_kind[0])
        named_at_site = [m for m in reversed(self.named_in_article) if m.site == site]
        if not of_kind and named_at_site and PART_NOUN.fullmatch(mention.words):
            # "The minaret, which dated back to 1090 AD, had been hit" after the Great Mosque:
            # a part of the site's monument named last
            return Place(site, named_at_site[0])
        # Several of the kind and none just named: the site's; none: a part of something else
        # ("its steep arch" of a bridge).
        return Place(site) if of_kind else None

    # -- dates ---------------------------------------------------------------------------------

    def _when(self, text: str, claim: _Claim, dates: list) -> When:
        """The date said nearest the claim in its clause; else the last date an earlier claim
        was given, up to the article's date; else the article's date."""
        clause_start, clause_end = _clause(text, claim)
        dates = [d for d in dates if not d.of_a_statement]  # "officials said Monday that…"
        in_clause = [
            d
            for d in dates
            if clause_start <= d.start
            and d.end <= clause_end
            and (not d.since or claim.damage_type in LASTING)
        ]
        if not in_clause:
            # A date elsewhere in the sentence that no other claim is nearer to.
            in_clause = [d for d in dates if not d.since]
        if in_clause:
            nearest = min(
                in_clause, key=lambda d: min(abs(d.start - claim.end), abs(claim.start - d.end))
            )
            when = nearest.when
            if nearest.since and when.end is None:
                when = When(
                    when.start,
                    when.start_precision,
                    self.published_on,
                    DatePrecision.DAY,
                    words=when.words,
                )
            self.last_when = when
            return when
        if self.last_when is not None:
            last = self.last_when
            end = self.published_on if self.published_on > last.start else None
            return When(
                last.start,
                last.start_precision,
                end or last.end,
                DatePrecision.DAY if end else last.end_precision,
                words="",
                approximate=last.approximate,
            )
        return When(self.published_on, DatePrecision.DAY, words="")


def _claims(text: str) -> list[_Claim]:
    """The damage claims of a sentence, in order. Where two cues overlap the longer is kept
    ("barrel bombs", not "bombs"); a blast or an explosion in a sentence about heavy weapons
    is theirs; demolition beside another means of destruction is its effect; damage said
    without its means and the means that did it are one claim ("destroyed by a missile",
    "shelling destroyed"), which stands where the damage is said."""
    found: list[_Claim] = []
    for damage_type, extent, pattern in MEANS:
        for match in pattern.finditer(text):
            words = match.group(0).rstrip()  # "written their names " is "written their names"
            found.append(
                _Claim(match.start(), match.start() + len(words), words, damage_type, extent)
            )
    for match in GENERIC_DAMAGE.finditer(text):
        found.append(_Claim(match.start(), match.end(), match.group(0), "", Extent.UNKNOWN))
    claims: list[_Claim] = []
    for claim in sorted(found, key=lambda c: (c.start - c.end, c.start)):
        if not any(c.start < claim.end and claim.start < c.end for c in claims):
            claims.append(claim)
    if not ARMED_AGENT.search(text):
        # "families set up camp beside the theatre", "built for a lookout": no fighters
        claims = [
            c
            for c in claims
            if not (c.damage_type == DamageType.MILITARY_USE and SOFT_MILITARY_USE.match(c.words))
        ]
    types = {c.damage_type for c in claims}
    if DamageType.LOOTING in types:
        # "looters who dig approximately 20 trenches every month": the looters' trenches
        claims = [
            c
            for c in claims
            if not (c.damage_type == DamageType.MILITARY_USE and c.words.lower() == "trenches")
        ]
    if DamageType.HEAVY_WEAPONS in types:
        weak = WEAK_MEANS[DamageType.EXPLOSIVES]
        claims = [
            c
            for c in claims
            if not (c.damage_type == DamageType.EXPLOSIVES and weak.match(c.words))
        ]
    claims = [
        claim
        for claim in claims
        if not (
            claim.damage_type == DamageType.THEFT
            and (
                NOT_HERITAGE_STOLEN.search(text[max(0, claim.start - 40) : claim.start])
                or NOT_HERITAGE_STOLEN.match(text[claim.end : claim.end + 20])
            )
        )
    ]
    for claim in claims:
        before = text[max(0, claim.start - 40) : claim.start]
        if claim.damage_type == DamageType.EXPLOSIVES and PLANTED.search(before):
            claim.damage_type = DamageType.MINES  # planted, not (yet) set off
            claim.planted = True
        elif claim.damage_type == DamageType.MINES and re.match(r"plant", claim.words, re.I):
            claim.planted = True  # "planted bombs in the citadel": mines, unless set off
        elif claim.damage_type == DamageType.MINES and USED_EXPLOSIVES.search(before):
            claim.damage_type = DamageType.EXPLOSIVES  # "used improvised explosive devices"
        elif claim.damage_type == DamageType.HEAVY_WEAPONS and re.fullmatch(
            r"bomb(?:ed|ing|ings)", claim.words, re.I
        ):
            # "militants bombed the library": explosives; "forces bombed the city": from above.
            on_ground = BOMBERS_ON_THE_GROUND.search(text)
            if on_ground and not BOMBERS_IN_THE_AIR.search(text):
                claim.damage_type, claim.extent = DamageType.EXPLOSIVES, Extent.DESTROYED
    # "levelled with explosives": the explosives' effect, as "demolished" beside a bulldozer is
    # the bulldozer's.
    others = types & (DESTRUCTIVE - {DamageType.SMASHING})
    effect_of_others: dict[str, set[str]] = {
        DamageType.DEMOLITION: others - {DamageType.DEMOLITION},
        DamageType.BULLDOZING: others - {DamageType.DEMOLITION, DamageType.BULLDOZING},
        DamageType.SMASHING: others - {DamageType.DEMOLITION},  # "a bombing that shattered"
    }
    for claim in claims:
        if effect_of_others.get(claim.damage_type) and EFFECT_WORDS.match(claim.words):
            claim.damage_type = ""  # the effect of the other means
    claims.sort(key=lambda c: c.start)
    claims = _linked(text, claims)
    for claim in claims:
        claim.extent = _extent(text, claim)
    # Two cues of one type next to each other ("shelling and air strikes") are one claim.
    merged: list[_Claim] = []
    for claim in claims:
        if (
            merged
            and merged[-1].damage_type == claim.damage_type
            and re.fullmatch(
                r"[\s,]*(?:and|or|,)?[\s,]*(?:\w+\s+){0,2}", text[merged[-1].end : claim.start]
            )
        ):
            continue
        merged.append(claim)
    return merged


def _linked(text: str, claims: list[_Claim]) -> list[_Claim]:
    """Damage said without means takes the means said with it, and the means' own claim
    goes: "destroyed by a missile", "badly damaged in air strikes", "shelling destroyed"."""
    dropped: set[int] = set()
    for index, claim in enumerate(claims):
        if claim.damage_type:
            continue
        following = claims[index + 1] if index + 1 < len(claims) else None
        preceding = claims[index - 1] if index else None
        if (
            following is not None
            and following.damage_type
            and MEANS_LINK_AFTER.match(text[claim.end : following.start])
        ):
            claim.damage_type, claim.words = (
                following.damage_type,
                f"{claim.words}; {following.words}",
            )
            dropped.add(id(following))
        elif (
            preceding is not None
            and preceding.damage_type
            and id(preceding) not in dropped
            and MEANS_LINK_BEFORE.match(text[preceding.end : claim.start])
        ):
            claim.damage_type, claim.words = (
                preceding.damage_type,
                f"{preceding.words}; {claim.words}",
            )
            dropped.add(id(preceding))
    means_not_known = bool(MEANS_NOT_KNOWN.search(text))
    for claim in claims:
        if not claim.damage_type and (means_not_known or NO_MEANS_CAUSE.match(text[claim.end :])):
            claim.damage_type = DamageType.UNKNOWN  # said, not to be borrowed from elsewhere
    return [claim for claim in claims if id(claim) not in dropped]


# Unnamed monuments said to be somewhere no site of the gazetteer is named: elsewhere.
_ELSEWHERE = re.compile(
    r"\s+(?:in|at)\s+(?!(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"([A-Z][\w-]+)(?![\w'’-]|\s*-(?:held|occupied|controlled))"
)


def _plural_name(monument: Monument) -> bool:
    """Whether one record names several things: "Buddhas of Bamiyan", "Royal Tombs"."""
    head = monument.name.split(" of ")[0].split()
    return bool(head) and head[-1].lower().endswith("s") and not head[-1].lower().endswith("ss")


def _without_locatives(window: list[Mention]) -> list[Mention]:
    """A monument named after another as where it stands is not a place of the claim: "the
    façade of the Theatre … in the main street"."""
    kept: list[Mention] = []
    for mention in window:
        if (
            kept
            and mention.kind == "monument"
            and any(k.kind == "monument" for k in kept)
            and mention.locative
        ):
            continue
        kept.append(mention)
    return kept


def _extent(text: str, claim: _Claim) -> str:
    start, end = _clause(text, claim)
    clause = text[start:end]
    for extent, pattern in EXTENT_WORDS:
        if pattern.search(clause):
            return extent
    return claim.extent


def _clause(text: str, claim: _Claim) -> tuple[int, int]:
    """Where the claim's clause starts and ends. Two dashes make an aside, not two breaks."""
    start = 0
    dashes = list(DASH.finditer(text))
    asides = {m.start() for m in dashes} if len(dashes) % 2 == 0 else set()
    for match in CLAUSE_BREAK.finditer(text):
        if match.start() in asides:
            continue
        if match.end() <= claim.start:
            start = match.end()
        elif match.start() >= claim.end:
            return start, match.start()
    return start, len(text)


def _clause_start(text: str, position: int) -> int:
    """Where the clause holding `position` starts."""
    start = 0
    for match in CLAUSE_BREAK.finditer(text, 0, position):
        if match.end() <= position:
            start = match.end()
    return start


def _cancelled(text: str, claim: _Claim) -> bool:
    """Whether the claim's clause negates, denies, fears or supposes it."""
    start, end = _clause(text, claim)
    text = DAMAGE_TO_REPAIR.sub(
        lambda m: " " * len(m.group(1)) + m.group(0)[len(m.group(1)) :], text
    )
    if SUBJECT_NEGATED.match(text[start : claim.start]):
        return True  # "No archaeological site or artifacts in Israel have so far been damaged"
    before = text[max(start, claim.start - CANCEL_REACH) : claim.start]
    before = before[before.rfind(",") + 1 :]  # "While the walls survived, the cella was hit"
    after = text[claim.end : end]
    if CANCEL_BEFORE.search(before) or CANCEL_AFTER.search(after):
        return True
    # "… the god of storms and fertilising rains, was almost completely intact"
    return bool(INTACT.search(after))


def _window(
    text: str, claim: _Claim, claims: list[_Claim], mentions: list[Mention]
) -> list[Mention]:
    """The mentions a claim is said of, by its grammar: the places before a passive verb
    ("the arch was blown up") or a claim after its places ("the arch, blown up…"); the places
    after an active verb or a noun ("blew up the arch", "the destruction of the arch"), up to
    the next claim."""
    index = claims.index(claim)
    previous_end = claims[index - 1].end if index else 0
    next_start = claims[index + 1].start if index + 1 < len(claims) else len(text)
    clause_start, clause_end = _clause(text, claim)
    relative = re.search(r",\s*(?:which|who|whose|where)\s*$", text[:clause_start])
    if relative and re.search(r",\s*(?:\w+\s+){0,3}$", text[clause_start : claim.start]):
        # "The Temple of Bel, which stood beside the Agora, was blown up": the relative clause
        # closed before the claim, whose subject is before it.
        clause_start = _clause_start(text, relative.start())
        previous_end = clause_start if previous_end > relative.start() else previous_end
    before = [m for m in mentions if max(previous_end, clause_start) <= m.start < claim.start]
    after = [m for m in mentions if claim.start < m.start < min(next_start, clause_end)]
    resumed = _LIST_RESUMED.match(text, clause_end)
    if after and resumed and resumed.end() < next_start:
        # "damaged Building No. 66, which serves as an entrance to the Far Caves, as well as
        # Building No. 67": the list goes on after the relative clause.
        ends = CLAUSE_BREAK.search(text, resumed.end())
        resumed_end = min(next_start, ends.start() if ends else len(text))
        after += [m for m in mentions if resumed.end() <= m.start < resumed_end]
    if re.search(r",\s*(?:which|who|where)\s*$", text[:clause_start]):
        # "the Old Bridge, which … before being destroyed": the relative clause's subject; "the
        # Ca' Pesaro gallery, where a short circuit set off a fire": where it happened.
        antecedent = [m for m in mentions if m.end <= clause_start]
        if antecedent and antecedent[-1].kind in ("monument", "kind word"):
            inside = [m for m in mentions if clause_start <= m.start < claim.start]
            if not any(m.kind in ("monument", "kind word") for m in inside):
                return [antecedent[-1]]
    if (
        claim.damage_type in (DamageType.THEFT, DamageType.LOOTING)
        and after
        and _TAKEN_FROM.fullmatch(text[claim.end : after[0].start])
    ):
        return after  # "a statue was stolen from the Temple of Bel": where it was taken from
    passive = bool(PASSIVE_BEFORE.search(text[max(0, claim.start - 40) : claim.start]))
    passive = passive or bool(AS_A_USE.search(text[max(0, claim.start - 60) : claim.start]))
    # A past participle after a comma ("…, apparently flattened by bulldozers") is said of
    # the sentence's subject; a present one ("…, setting up camp in the church") of its object.
    passive = passive or (
        bool(PARTICIPLE_AFTER_COMMA.search(text[max(0, claim.start - 30) : claim.start]))
        and not re.match(r"\w+ing\b", claim.words, re.I)
    )
    noun = bool(NOUN_OF.match(text[claim.end :]))
    if passive:
        before = _without_relative_asides(text, before)
    if passive and before:
        # "The Shevchenko Museum was damaged, alongside the Khanenko museum and …"
        if after and ALONGSIDE.match(text[claim.end : after[0].start]):
            return before + [m for m in after if m.kind != "site"]
        return before
    if noun and after:
        return after
    if after and not passive:
        return after
    if before:
        return before
    if not after and text[clause_end : clause_end + 1] == ":":
        # "Seven buildings were destroyed: Seiden, Hokuden, …"
        listed = [m for m in mentions if m.start > clause_end]
        if listed:
            return listed
    # Beyond the clause, within the sentence: "The temple, which dates from AD 32, was hit";
    # not back past a "but" ("no damage to the church but the houses were burnt").
    previous_end = max(previous_end, _contrast_start(text, claim))
    before = [m for m in mentions if previous_end <= m.start < claim.start]
    after = [m for m in mentions if claim.start < m.start < next_start]
    # ("had been holed up inside Aleppo's Umayyad Mosque": a passive with nothing before it
    # is said of what follows)
    if passive:
        before = _without_relative_asides(text, before)
    return before if (passive and before) or not after else after


# What says a place took no damage (beside a claim it cancels): "have not been damaged".
_DENIED = re.compile(
    r"\b(?:not|n[’']t|never) (?:been )?(?:damaged|harmed|hit|touched|destroyed)\b"
    r"|(?<!largely )(?<!mostly )(?<!relatively )(?<!partly )\bintact\b"
    r"|\bunharmed\b|\bundamaged\b|\bunscathed\b|\bstill standing\b|\bescaped\b",
    re.I,
)
# After unnamed places: a whole country or the world ("across Iraq and Syria", "in Iraq").
_ACROSS = re.compile(
    r"\s+(?:across|throughout|around|all over|in)\s+(?:the\s+(?:world|country|region)\b"
    r"|(?:the\s+)?(?:(?:north|south|east|west)\w*\s+)?((?-i:[A-Z])[\w'’-]+)\b"
    r"(?!\s+(?:[\w-]+\s+)?(?:city|town|village|province|capital|region|governorate)\b))",
    re.I,
)
_FORMER_LATTER = re.compile(r"\bthe former\b.*\bthe latter\b", re.I | re.S)
_RESPECTIVELY = re.compile(
    rf"\brespectively\b|\bthe first\b.*\bthe second\b|{_FORMER_LATTER.pattern}", re.I | re.S
)
_LIST_RESUMED = re.compile(
    r",\s*(?:which|who|where)\b[^,;:]*,\s*(?:as well as|along with|together with|and)\s", re.I
)
# A relative clause inside a passive's subject, up to the comma that ends it: "Barakish,
# capital of a trade empire which sent incense to the temples of Greece and Rome, has been
# bombed"; "the Temple of Bel, which stood beside the Agora, was blown up".
_RELATIVE_ASIDE = re.compile(r"\b(?:which|who|whose|where)\b[^,;]*,")


def _without_relative_asides(text: str, before: list[Mention]) -> list[Mention]:
    """The mentions before a passive verb, less those in a relative clause that describes an
    earlier one: the subject is what was damaged, not what its description names."""
    if len(before) < 2:
        return before
    asides = [
        match.span()
        for match in _RELATIVE_ASIDE.finditer(text, before[0].end, before[-1].end + 200)
    ]
    return [m for m in before if not any(start < m.start < end for start, end in asides)]


def _bombing(claim: _Claim) -> bool:
    """Whether the claim's means is said as "bombing" or "bombed" ("damaged; bombing")."""
    return any(BOMBING.match(part.strip()) for part in claim.words.split(";"))


def _last_day(when: When) -> datetime.date:
    """The last day a date can mean: the end of its range, year or month."""
    if when.end is not None:
        return when.end
    if when.start_precision == DatePrecision.YEAR:
        return datetime.date(when.start.year, 12, 31)
    if when.start_precision == DatePrecision.MONTH:
        return when.start + datetime.timedelta(days=30)
    return when.start


_LIST_STOP = re.compile(r"[,;]")
# A town the sentence names as such: "in the Iraqi city of Mosul" (elsewhere, if no site's).
# After "a museum": where it is, a town named ("in Kupiansk", "in the centre of the city of …").
_IN_THE_TOWN = re.compile(
    r"\s+(?:in|at)\s+(?:(?:the\s+)?(?:centre|center|heart|middle|old town)\s+of\s+)?"
    r"(?:the\s+(?:[\w'’-]+\s+){0,3}?(?:city|town|village)\s+of\s+)?(?-i:[A-Z])",
    re.I,
)
_TOWN_OF = re.compile(r"\b(?:city|town|village) of ((?-i:[A-Z])[\w'’-]+)", re.I)
_TAKEN_FROM = re.compile(r"\s+(?:\w+\s+){0,2}?from\s+(?:the\s+)?", re.I)
# Between unnamed things and the named monument that holds them: "statues (of gods) in the".
_HELD_IN = re.compile(r"\s+(?:[\w'’-]+\s+){0,3}?(?:in|inside|from|within|at)\s+(?:the\s+)?", re.I)


def _excepted(text: str, claim: _Claim, mentions: list[Mention]) -> list[Mention]:
    """The places an "except (for)" in the claim's clause leaves out: those after it, up to
    the claim when it comes before the claim, to the clause's end when after."""
    start, end = _clause(text, claim)
    left_out = []
    for match in EXCEPT.finditer(text, start, end):
        stop = claim.start if match.end() <= claim.start else end
        # "Apart from the Temple of Bel, the Temple of Baalshamin … were blown up": to a comma
        comma = _LIST_STOP.search(text, match.end(), stop)
        stop = comma.start() if comma else stop
        left_out += [m for m in mentions if match.end() <= m.start < stop]
    return left_out


def _contrast_start(text: str, claim: _Claim) -> int:
    """Where the clause after the last "but" before the claim starts (0 if none)."""
    ends = [m.end() for m in CONTRAST.finditer(text, 0, claim.start)]
    return ends[-1] if ends else 0


def _confidence(strength: str, claim: _Claim, dated: bool) -> float:
    place = {
        "named": 0.3,
        "fuzzy": 0.2,
        "kind": 0.2,
        "anaphora": 0.15,
        "contents": 0.1,
        "site": 0.2,
        "site kind": 0.15,
        "site word": 0.1,
    }[strength]
    means = 0.25 if claim.damage_type else 0.1
    return round(min(0.35 + place + means + (0.1 if dated else 0.0), 0.95), 2)
