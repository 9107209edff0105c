"""The places an article names: its sites (by name, other name, or a monument only one site
has) and, in each sentence, the monuments, kind words ("the temple"), site names and site words
("the ruins") with where they stand, so that a claim can be given the place it is said of.

Names are matched on folded words (lower case, no accents, no apostrophes, no possessive "'s"),
by looking every run of up to MAX_NAME_WORDS words up in a dictionary: the cost grows with the
article, not with the number of monuments recorded."""

from __future__ import annotations

import contextlib
import functools
import gc
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max
from django_countries import countries
from rapidfuzz import fuzz

from reports.ingest.lexicon import (
    ANAPHORA,
    HEAD_NOUN_PATTERN,
    HEAD_NOUNS,
    KIND_WORDS,
    MODERN_PART,
    SEAT_OF_POWER,
    SITE_NAME_PREFIXES,
    SITE_WORDS,
    SOURCE_AFTER,
)
from sites.models import AlternativeName, HeritageSite, Monument, SiteName

MAX_NAME_WORDS = 8
FUZZY_THRESHOLD = 88  # rapidfuzz ratio for a name spelt a little differently ("Kitot")
FUZZY_MIN_LENGTH = 6
FUZZY_WORD_THRESHOLD = 70
# A word, with the apostrophes inside names ("Qal'at", "Ba'al"), but not an English possessive's:
# "Palmyra's" is Palmyra (then "s").
_WORD = re.compile(r"[^\W_]+(?:['’ʿʼ`´](?![sS]\b)[^\W_]+)*")
# Words of a site's UNESCO name that name no place by themselves ("and Related Buildings").
_GENERIC_NAME_WORDS = frozenset(
    "the of and a an in at related associated monastic buildings building historic historical "
    "ancient old site sites city town centre center area ensemble archaeological monuments "
    "monument group complex zone quarter district its their early sacred landscape cultural "
    "remains ruins".split()
)
# Country words that are not in the standard list of names: adjectives and short names.
_COUNTRY_WORDS = {
    "syria": "SY",
    "syrian": "SY",
    "iraq": "IQ",
    "iraqi": "IQ",
    "yemen": "YE",
    "yemeni": "YE",
    "libya": "LY",
    "libyan": "LY",
    "mali": "ML",
    "malian": "ML",
    "afghan": "AF",
    "ukraine": "UA",
    "ukrainian": "UA",
    "lebanon": "LB",
    "lebanese": "LB",
    "gaza": "PS",
    "palestinian": "PS",
    "palestine": "PS",
    "west bank": "PS",
    "egyptian": "EG",
    "sudanese": "SD",
    "ethiopian": "ET",
    "armenian": "AM",
    "azerbaijani": "AZ",
    "nepali": "NP",
    "nepalese": "NP",
    "burmese": "MM",
    "myanmar": "MM",
    "iranian": "IR",
    "iran": "IR",
    "turkish": "TR",
    "turkey": "TR",
    "russia": "RU",
    "russian": "RU",
    "israeli": "IL",
    "jordanian": "JO",
    "tunisian": "TN",
    "cambodian": "KH",
    "thai": "TH",
    "bosnian": "BA",
    "bosnia": "BA",
    "croatian": "HR",
    "karabakh": "AZ",
    "tigray": "ET",
    "tigrayan": "ET",
    "eritrean": "ER",
    "french": "FR",
    "italian": "IT",
    "brazilian": "BR",
}


@functools.lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """One word as names are compared: "Ba'al" and "Baʿal" read alike, "Palmyra's" is
    "palmyra"."""
    if word.isascii() and "'" not in word and "`" not in word:
        return word.lower()  # most words: nothing to strip (the other marks are not ASCII)
    word = unicodedata.normalize("NFKD", word)
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    word = re.sub(r"['’ʿʼ`´]s$", "", word)
    return re.sub(r"['’ʿʼ`´]", "", word).lower()


def folded_words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for every word of the text."""
    return [(fold(m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text)]


def fold_name(name: str) -> str:
    if name.isascii() and "'" not in name and "`" not in name:
        # Most names: every word folds to itself in lower case (a fifth of the gazetteer's
        # build when each went through `fold`).
        return " ".join(_WORD.findall(name.lower()))
    return " ".join(fold(word) for word in _WORD.findall(name))


@contextlib.contextmanager
def _no_cycle_collection():
    """The cycle collector paused while the gazetteer is built: the build makes hundreds of
    thousands of objects and none of them garbage, and collecting again and again as they
    appear took 40 % of the build (0.95 s -> 0.5 s with 20,000 monuments). Builds in several
    threads at once share one pause, ended by the last to finish."""
    global _pausing, _collector_was_enabled
    with _pause_lock:
        if not _pausing:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _pausing += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pausing -= 1
            if not _pausing and _collector_was_enabled:
                gc.enable()


_pause_lock = threading.Lock()
_pausing = 0  # builds under way
_collector_was_enabled = True


@dataclass(frozen=True)
class Place:
    site: HeritageSite
    monument: Monument | None = None

    @property
    def key(self) -> str:
        """How the labelled cases name places: "palmyra" or "palmyra/monumental-arch"."""
        return self.monument.key if self.monument else self.site.slug


@dataclass
class Mention:
    """Words of a sentence that name a place, or may: `kind` says how."""

    kind: str  # "monument", "kind word", "site", "site word", "anaphora"
    start: int
    end: int
    words: str
    monuments: tuple[Monument, ...] = ()  # the monuments the name may mean
    site: HeritageSite | None = None
    monument_kind: str = ""  # for a kind word: the kind it names ("temple"), if it is one
    noun: str = ""  # for a kind word: the noun, singular ("minaret")
    plural: bool = False
    definite: bool = False
    counted: bool = False  # for a kind word: a number said of it ("three tower tombs")
    fuzzy: bool = False
    locative: bool = False  # "in the main street": where, not what
    nearby: bool = False  # "near Lima": a point of reference


@dataclass
class _Names:
    """Folded name -> what it may mean."""

    monuments: dict[str, set[Monument]] = field(default_factory=dict)
    # Names without their site's ("Great Mosque" of "Great Mosque of Aleppo"): they mean the
    # monument only in an article about its site.
    cores: dict[str, set[Monument]] = field(default_factory=dict)
    sites: dict[str, set[HeritageSite]] = field(default_factory=dict)
    # Names without their head noun ("Saint Emmanuel" of "Saint Emmanuel Church"), matched only
    # written as a name: "a church named Saint Emmanuel".
    bare: dict[str, set[Monument]] = field(default_factory=dict)
    # Names of nothing but common words ("citadel", "archaeological museum"): any site's, so
    # never a sign of which sites an article is about.
    generic: set[str] = field(default_factory=set)


class Gazetteer:
    """Every site and monument name, and other name, in the database. One query per model."""

    def __init__(self) -> None:
        with _no_cycle_collection():
            self._build()

    def _build(self) -> None:
        self.sites = list(HeritageSite.objects.prefetch_related("other_names"))
        site_of = {site.pk: site for site in self.sites}
        aliases: dict[int, list[str]] = {}
        for monument_id, alias in AlternativeName.objects.values_list("monument_id", "name"):
            aliases.setdefault(monument_id, []).append(alias)
        # Each monument with its site the very object above (no second one per monument).
        self.monuments = list(Monument.objects.only("site_id", "name", "slug", "kind"))
        self.by_site: dict[int, list[Monument]] = {}
        for monument in self.monuments:
            monument.site = site_of[monument.site_id]
            self.by_site.setdefault(monument.site_id, []).append(monument)
        self.names = _Names()
        self.folded: dict[int, set[str]] = {}  # monument -> its folded names
        self.heads: dict[int, set[str]] = {}  # monument -> the nouns it is called by
        cores_of_site: dict[int, Callable[[str], str]] = {}
        for site in self.sites:
            names = site_names(site)
            cores_of_site[site.pk] = _core_of(names)
            for name in names:
                self.names.sites.setdefault(name, set()).add(site)
        for monument in self.monuments:
            core_of = cores_of_site[monument.site_id]
            folded = {
                name
                for raw in [monument.name, *aliases.get(monument.pk, ())]
                # "Church of the Virgin Mary (Mosul)"
                if (name := fold_name(_BRACKETS.sub(" ", raw)))
            }
            self.folded[monument.pk] = folded
            self.heads[monument.pk] = {head for name in folded if (head := _head_noun(name))}
            for name in folded:
                if _generic_name(name):
                    self.names.generic.add(name)
                self.names.monuments.setdefault(name, set()).add(monument)
                if turned := _turned_round(name):  # "temple of bel": "the Bel temple"
                    self.names.monuments.setdefault(turned, set()).add(monument)
                core = core_of(name)
                if core and core != name:
                    self.names.cores.setdefault(core, set()).add(monument)
                if bare := _without_head(name):
                    self.names.bare.setdefault(bare, set()).add(monument)
        self.site_countries = {
            site.pk: {str(code) for code in site.countries} for site in self.sites
        }
        self._country_words = _country_words()

    # -- the article -------------------------------------------------------------------------

    def country_words(self) -> dict[str, str]:
        """Folded names and adjectives of countries -> their codes ("syrian" -> "SY")."""
        return self._country_words

    def countries_in(self, text: str) -> set[str]:
        words = folded_words(text)
        found = set()
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                code = self._country_words.get(" ".join(w for w, _, _ in words[i : i + n]))
                if code:
                    found.add(code)
        return found

    def article_sites(self, title: str, sentences: list[str]) -> Counter[HeritageSite]:
        """The sites the article is about, each with how often it is named (its monuments'
        names that no other site has count for it, twice). A dateline ("SAMARRA, Iraq (AP) —")
        counts once; a seat of government ("officials in Damascus") and a point to measure
        from ("north of Baghdad") not at all."""
        counts: Counter[HeritageSite] = Counter()
        ambiguous: list[set[Monument]] = []
        for index, sentence in enumerate([title, *sentences]):
            text = sentence
            if index == 1:
                # Where the reporter was counts once, as weakly as a mention can.
                text = strip_dateline(sentence)
                dateline = sentence[: len(text) - len(text.lstrip())]
                for mention in self._names_in(dateline, restrict_to=None):
                    if mention.kind == "site" and mention.site is not None:
                        counts[mention.site] += 1
            for mention in self._names_in(text, restrict_to=None):
                if mention.kind == "site" and mention.site is not None:
                    counts[mention.site] += 1
                elif mention.kind == "monument" and _has_proper_word(mention.words):
                    # ("the amphitheatre" of an article about Bosra is not Palmyra's)
                    owners = {m.site for m in mention.monuments}
                    if len(owners) == 1:
                        # A monument named says more of what the article is about than its
                        # town named as where something else happened.
                        counts[owners.pop()] += 2
                    else:
                        ambiguous.append(set(mention.monuments))
        # Names several sites share ("the Umayyad Mosque"): the site the article names decides,
        # else the countries it names.
        countries_named = self.countries_in(" ".join([title, *sentences]))
        for monuments in ambiguous:
            owners = {m.site for m in monuments}
            named = {site for site in owners if site in counts}
            if not named:
                named = {s for s in owners if self.site_countries[s.pk] & countries_named}
            if len(named) == 1:
                counts[named.pop()] += 1
        return counts

    # -- one sentence ------------------------------------------------------------------------

    def mentions(
        self, sentence: str, sites: list[HeritageSite], last_site: HeritageSite | None = None
    ) -> list[Mention]:
        """Every place mention in the sentence, for an article about `sites` (most named
        first), in the order they stand. A name several monuments share is resolved by a site
        the sentence names, then by the site named last before it (`last_site`: "… was in
        Amatrice. … the church of Sant'Agostino"), then by the article's main site."""
        allowed = set(sites)
        found = self._names_in(sentence, restrict_to=allowed)
        named_sites = [m.site for m in found if m.kind == "site" and m.site is not None]
        preference = [*named_sites, *([last_site] if last_site else []), *sites]
        resolved: list[Mention] = []
        for mention in found:
            if mention.kind == "monument":
                choices = [m for m in mention.monuments if m.site in allowed]
                if len(choices) > 1:
                    for site in preference:
                        at_site = [m for m in choices if m.site == site]
                        if at_site:
                            choices = at_site
                            break
                if not choices:
                    continue
                mention.monuments = tuple(choices)
            resolved.append(mention)
        covered = [(m.start, m.end) for m in resolved]
        of_plural, plural_words = self._names_after_a_plural(sentence, allowed, covered)
        resolved += of_plural
        covered = [(m.start, m.end) for m in resolved] + plural_words
        resolved += self._fuzzy_in(sentence, sites, covered)
        # "a British Museum report says": who speaks, not what was damaged (its words stay
        # covered: "Museum" is no kind word either).
        sources = [
            m for m in resolved if m.kind == "monument" and SOURCE_AFTER.match(sentence[m.end :])
        ]
        resolved = [m for m in resolved if m not in sources]
        # A container dropped still covers its words: "the Royal Palace's" is no kind word.
        covered = [(m.start, m.end) for m in [*resolved, *sources]] + plural_words
        resolved = _without_containers(sentence, sorted(resolved, key=lambda m: m.start))
        named = [m for m in resolved if m.kind == "monument"]
        resolved += [
            kind
            for kind in _kind_words(sentence, covered)
            # "another church, the San Francisco Borja", "a church named Saint Emmanuel": the
            # name says which.
            if not any(_APPOSITION.fullmatch(sentence[kind.end : m.start]) for m in named)
            and not _said_of_a_name(sentence, kind, named)
        ]
        covered = [(m.start, m.end) for m in resolved]
        resolved += _pattern_mentions(sentence, covered, ANAPHORA, "anaphora")
        covered = [(m.start, m.end) for m in resolved]
        resolved += _pattern_mentions(sentence, covered, SITE_WORDS, "site word")
        for mention in resolved:
            mention.locative = bool(_LOCATIVE.search(sentence[: mention.start]))
            mention.nearby = bool(_NEARBY.search(sentence[: mention.start]))
            if mention.kind == "anaphora":
                mention.plural = not _SINGULAR_ANAPHORA.match(mention.words)
        return sorted(resolved, key=lambda m: m.start)

    def _names_after_a_plural(
        self, sentence: str, allowed: set[HeritageSite], covered: list[tuple[int, int]]
    ) -> tuple[list[Mention], list[tuple[int, int]]]:
        """ "The temples of Bel and Baalshamin", "the towers of Elahbel, Iamblichus and Kithot":
        each name is the monument "temple of Bel", "tower of Iamblichus"… The mentions, and
        the plural nouns they are named by (no kind words of unnamed monuments then)."""
        mentions: list[Mention] = []
        plurals: list[tuple[int, int]] = []
        for match in _PLURAL_OF.finditer(sentence):
            head = _singular(fold(match.group(1)))
            if head not in HEAD_NOUNS or _overlaps(match.start(1), match.end(1), covered):
                continue
            named = []
            for name in _LISTED_NAME.finditer(sentence, match.end(2), match.end()):
                start, end = name.span()
                key = fold_name(f"{head} of {name.group()}")
                monuments = [m for m in self.names.monuments.get(key, ()) if m.site in allowed]
                if monuments and not _overlaps(start, end, covered):
                    named.append(
                        Mention("monument", start, end, name.group(), monuments=tuple(monuments))
                    )
            if named:
                mentions += named
                plurals.append((match.start(1), match.end(1)))
        return mentions, plurals

    def _names_in(self, text: str, restrict_to: set[HeritageSite] | None) -> list[Mention]:
        """Monument and site names; where two overlap, the longer ("Cairo's Museum of Islamic
        Art" is that museum, not the "Cairo Museum")."""
        words = folded_words(text)
        found: list[tuple[int, int, Mention]] = []
        for i in range(len(words)):
            for n in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
                mention = self._name(words[i : i + n], text, restrict_to)
                if mention is not None:
                    found.append((n, i, mention))
                    break
        chosen: list[tuple[int, int]] = []
        mentions = []
        for n, i, mention in sorted(found, key=lambda f: (-f[0], f[1])):
            if any(i < j + m and j < i + n for j, m in chosen):
                continue
            chosen.append((i, n))
            mentions.append(mention)
        return sorted(mentions, key=lambda m: m.start)

    def _name(
        self, span: list[tuple[str, int, int]], text: str, restrict_to: set[HeritageSite] | None
    ) -> Mention | None:
        key = " ".join(w for w, _, _ in span)
        keys = [key]
        last = span[-1][0]
        if _singular(last) != last:  # "tower tombs", "temples": monuments only
            keys.append(f"{key[: -len(last)]}{_singular(last)}")
        start, end = span[0][1], span[-1][2]
        for candidate in keys:
            if restrict_to is None and candidate in self.names.generic:
                continue  # "the Citadel" says nothing of which site an article is about
            monuments = set(self.names.monuments.get(candidate, ()))
            # A name without its site's name ("the Umayyad mosque") or without its noun ("a
            # church named Saint Emmanuel") is a name only written as one: not "a central
            # library".
            written = text[start:end]
            cores = {
                m
                for m in self.names.cores.get(candidate, ())
                if (restrict_to is None or m.site in restrict_to) and written[:1].isupper()
            } | {
                m
                for m in self.names.bare.get(candidate, ())
                if (restrict_to is None or m.site in restrict_to) and _written_as_name(written)
            }
            if monuments and len(span) == 1 and _INSIDE_A_LONGER_NAME.search(text[:start]):
                # "Justice" (a statue's name) in "the International Court of Justice"
                monuments = set()
            if (monuments or cores) and _names_another_thing(text[end:]):
                return None
            if monuments or cores:
                return Mention(
                    "monument",
                    start,
                    end,
                    text[start:end],
                    monuments=tuple(sorted(monuments | cores, key=lambda m: m.pk)),
                )
            sites = self.names.sites.get(candidate) if candidate == key else None
            if sites and (
                not _has_proper_word(written)
                or _LONGER_NAME.match(text[end:])
                or (written.isupper() and len(written) <= 4)  # "SANA", the news agency
            ):
                # A site's name is a proper noun, and all of it: not the "tyre" of "tyre
                # tracks", not the Bosra of "Bosra al-Harir" nor of "Hama province".
                sites = None
            before = text[:start]
            if sites and _names_another_thing(text[end:]):
                return None
            if sites and not SEAT_OF_POWER.search(before) and not MODERN_PART.search(before):
                # A name two sites share ("Sana'a": the old city and the modern one): the one
                # the article is about, else the World Heritage property, else the first added.
                ranked = sorted(sites, key=lambda s: (s.unesco_id is None, s.pk))
                site = ranked[0]
                if restrict_to is not None and len(sites) > 1:
                    site = next((s for s in ranked if s in restrict_to), site)
                return Mention("site", start, end, text[start:end], site=site)
        return None

    def _fuzzy_in(
        self, sentence: str, sites: list[HeritageSite], covered: list[tuple[int, int]]
    ) -> list[Mention]:
        """Names of the article's monuments spelt a little differently ("Balshamin"), where no
        name was found."""
        words = [w for w in folded_words(sentence) if not _overlaps(w[1], w[2], covered)]
        found: list[Mention] = []
        for site in sites:
            for monument in self.by_site.get(site.pk, []):
                for name in self.folded[monument.pk]:
                    size = len(name.split())
                    if len(name) < FUZZY_MIN_LENGTH:
                        continue
                    for i in range(len(words) - size + 1):
                        if sentence[words[i][1] : words[i + size - 1][2]].count(" ") > 2 * size:
                            continue  # the words around a name found exactly
                        span = [w for w, _, _ in words[i : i + size]]
                        window = " ".join(span)
                        if fuzz.ratio(window, name) >= FUZZY_THRESHOLD and all(
                            # each word spelt nearly alike: not "al-Asmar to" for "… mosque"
                            fuzz.ratio(a, b) >= FUZZY_WORD_THRESHOLD
                            for a, b in zip(span, name.split(), strict=True)
                        ):
                            start, end = words[i][1], words[i + size - 1][2]
                            found.append(
                                Mention(
                                    "monument",
                                    start,
                                    end,
                                    sentence[start:end],
                                    monuments=(monument,),
                                    fuzzy=True,
                                )
                            )
                            break
        return found

    def monuments_called(self, site: HeritageSite, mention: Mention) -> list[Monument]:
        """The site's monuments a kind word may mean: of its kind ("the temple"), or with its
        noun at the head of their name ("the minaret": the Malwiya Minaret)."""
        return [m for m in self.by_site.get(site.pk, []) if self.called(m, mention)]

    def called(self, monument: Monument, mention: Mention) -> bool:
        """Whether a kind word may mean the monument: of its kind, or its name's noun."""
        return bool(
            (mention.monument_kind and monument.kind == mention.monument_kind)
            or mention.noun in self.heads[monument.pk]
        )


def _without_containers(sentence: str, mentions: list[Mention]) -> list[Mention]:
    """A monument named as where another one is, is not the place: "the Royal Palace's Green
    Vault" and "the Green Vault in the Royal Palace" are the Green Vault."""
    dropped = set()
    for first, second in zip(mentions, mentions[1:], strict=False):
        if first.kind != "monument" or second.kind != "monument":
            continue
        gap = sentence[first.end : second.start]
        if re.fullmatch(r"['’]s\s+(?:[\w-]+\s+){0,2}", gap):
            dropped.add(id(first))
        elif re.fullmatch(r"\s*,?\s*(?:in|inside|within|at)\s+(?:the\s+)?", gap, re.I):
            dropped.add(id(second))
    return [m for m in mentions if id(m) not in dropped]


_built: tuple[tuple, Gazetteer] | None = None
_building = threading.Lock()


def current_gazetteer() -> Gazetteer:
    """The gazetteer of the database as it is now, built again only when a site, a monument or
    one of their names changed since it was last built in this process: reading 20,000
    monuments and folding their names takes seconds, knowing whether they changed eight small
    queries."""
    global _built
    version = _version()
    with _building:
        if _built is None or _built[0] != version:
            _built = (version, Gazetteer())
        return _built[1]


def _version() -> tuple:
    """How many of each record there are, and when one was last created, changed or deleted
    (their history says: every change through the models leaves a row there)."""
    return (
        connection.settings_dict["NAME"],
        *(
            (
                model.history.model.objects.aggregate(last=Max("history_date"))["last"],
                model.objects.count(),  # bulk inserts and deletes leave no history
            )
            for model in (HeritageSite, SiteName, Monument, AlternativeName)
        ),
    )


def site_names(site: HeritageSite) -> set[str]:
    """The folded names a site goes by in news: its UNESCO name, the name without "Site of",
    each part of a name of several ("Crac des Chevaliers and Qal'at Salah El-Din"), and its
    other names."""
    raw = [site.name, *(other.name for other in site.other_names.all())]
    names = set()
    for name in raw:
        # "Blida (Lebanon)", "Gaza City (Old City)": the brackets tell which, they name nothing.
        name = _BRACKETS.sub(" ", name).strip()
        names.add(fold_name(name))
        names.add(fold_name(SITE_NAME_PREFIXES.sub("", name)))
        for part in re.split(r"\s+and\s+|[,:;]|\s[–-]\s", name):
            part = SITE_NAME_PREFIXES.sub("", part.strip())
            folded = fold_name(part)
            if set(folded.split()) - _GENERIC_NAME_WORDS:
                names.add(folded)
    # A country's name is never a site's ("Malawi" for Mallawi): it would be every article's.
    return {
        n
        for n in names
        if n and set(n.split()) - _GENERIC_NAME_WORDS and n not in _country_words()
    }


def _generic_name(name: str) -> bool:
    """Whether a folded name is any site's: a noun monuments are called by, alone or after
    words that say nothing of which ("citadel", "ancient temple", "Russian Orthodox church");
    not "great pyramid" nor "lion gate"."""
    *before, last = name.split() or [""]
    return (
        _singular(last) in HEAD_NOUNS
        and len(before) <= 2
        and all(word in _UNDISTINGUISHING for word in before)
    )


# Words before a monument noun that say nothing of which site: places, ages, styles and faiths
# that many sites share ("Byzantine church", "Roman theatre", "Russian Orthodox church").
_UNDISTINGUISHING = frozenset(
    "ancient archaeological national main central city the old historic historical medieval "
    "roman byzantine ottoman islamic christian crusader hellenistic greek orthodox catholic "
    "protestant lutheran anglican evangelical coptic maronite syriac armenian russian serbian "
    "jewish sunni shia shiite sufi buddhist hindu jain".split()
)


def _said_of_a_name(sentence: str, kind: Mention, named: list[Mention]) -> bool:
    """Whether a kind word only says more of the name just before it: "the Kyiv-Pechersk
    Lavra, a centuries-old monastery complex" (the name's own kind, not "the Shrine of Nabi
    Yunus, a church and a library"), "… that holds some of Ukraine's most revered shrines"
    (what it holds)."""
    before = [m for m in named if m.end <= kind.start]
    if not before:
        return False
    name = before[-1]
    between = sentence[max(name.end, kind.start - 120) : kind.start]
    own_kind = bool(kind.monument_kind) and any(
        monument.kind == kind.monument_kind for monument in name.monuments
    )
    return (
        own_kind and bool(_APPOSITION_AFTER.fullmatch(sentence[name.end : kind.start]))
    ) or bool(_HELD_IN.search(between))


def _head_noun(name: str) -> str:
    """The noun at the head of a folded name, if it is one monuments are called by: "temple" of
    "temple of bel", "minaret" of "malwiya minaret"."""
    words = name.split(" of ")[0].split()
    head = _singular(words[-1]) if words else ""
    return head if head in HEAD_NOUNS else ""


def _singular(word: str) -> str:
    if word.endswith("es") and word[:-2] in HEAD_NOUNS:
        return word[:-2]
    if word.endswith("s") and word[:-1] in HEAD_NOUNS:
        return word[:-1]
    return word


def _turned_round(name: str) -> str:
    """ "temple of bel" -> "bel temple", as news also says it; not "church of the nativity"
    nor "valley of the tombs"."""
    if " of " not in name:
        return ""  # most names, at once (20,000 monuments' names are turned at every build)
    head, of, *rest = name.split() + ["", ""]
    rest = [word for word in rest if word]
    if of != "of" or head not in HEAD_NOUNS or not 1 <= len(rest) <= 2 or rest[0] == "the":
        return ""
    if not set(rest) - _COMMON_NAME_WORDS:
        return ""
    return " ".join([*rest, head])


def _without_head(name: str) -> str:
    """A folded name without its head noun, if two words or more of a name remain:
    "saint emmanuel church" -> "saint emmanuel"; not "great mosque" -> "great", nor
    "valley of the tombs" -> "valley of the", nor "north west palace" -> "north west"."""
    words = name.split()
    if len(words) >= 3 and _singular(words[-1]) in HEAD_NOUNS:
        bare = words[:-1]
    elif len(words) >= 4 and words[0] in HEAD_NOUNS and words[1] == "of":
        bare = [w for w in words[2:] if w != "the"]
    else:
        return ""
    if len(bare) < 2 or bare[-1] in _PARTICLES or not set(bare) - _COMMON_NAME_WORDS:
        return ""
    return " ".join(bare)


def _core_of(site_names: set[str]) -> Callable[[str], str]:
    """A function giving a monument's name without its site's: "great mosque of aleppo" ->
    "great mosque". Only names of two words or more: "mosque" alone names nothing."""
    # String tests, not a regular expression per site: compiling one for each of 1,000 sites
    # took most of the gazetteer's build.
    short = sorted((n for n in site_names if len(n) > 2), key=len, reverse=True)
    if not short:
        return lambda name: ""

    def core(name: str) -> str:
        stripped = name
        for site_name in short:  # "great mosque of (the) aleppo"
            if stripped.endswith(" " + site_name):
                before = stripped[: -len(site_name) - 1].removesuffix(" the")
                for particle in (" of", " in", " at"):
                    if before.endswith(particle):
                        stripped = before[: -len(particle)]
                        break
                else:
                    continue
                break
        for site_name in short:  # "aleppo citadel"
            if stripped.startswith(site_name + " "):
                stripped = stripped[len(site_name) + 1 :]
                break
        return stripped if len(stripped.split()) >= 2 else ""

    return core


@functools.cache
def _country_words() -> dict[str, str]:
    words = {fold_name(name): code for code, name in countries}
    words.update(_COUNTRY_WORDS)
    return words


def _overlaps(start: int, end: int, covered: list[tuple[int, int]]) -> bool:
    return any(start < c_end and c_start < end for c_start, c_end in covered)


_INDEFINITE = frozenset(
    "a an one another some several many two three four five six seven eight nine ten dozen "
    "dozens hundreds numerous other these those".split()
)


_COUNTS = frozenset(
    "two three four five six seven eight nine ten dozen dozens hundreds numerous".split()
)


def _kind_words(sentence: str, covered: list[tuple[int, int]]) -> list[Mention]:
    """Kind words ("the temple", "two mosques") and the nouns monuments are called by ("the
    minaret"), with whether they are plural and whether they point at one ("the", "its")."""
    found: list[Mention] = []
    matches = [
        (match, kind)
        for kind, pattern in KIND_WORDS.items()
        for match in pattern.finditer(sentence)
    ]
    matches += [(match, "") for match in HEAD_NOUN_PATTERN.finditer(sentence)]
    for match, kind in matches:
        if _overlaps(match.start(), match.end(), covered):
            continue
        covered = [*covered, (match.start(), match.end())]
        before = [w.strip(',.;:"“”') for w in sentence[: match.start()].lower().split()[-3:]]
        word = match.group(0).lower()
        plural = (
            word.endswith("s")
            and not word.endswith(("ss", "us"))
            or word
            in (
                "necropoles",
                "mausolea",
                "tetrapyla",
                "statuary",
            )
        )
        # "the temple", "the German museum", "its main temple"; not "a temple".
        definite = determined = counted = False
        for previous in reversed(before):
            # "Palmyra's museum", "the city's citadel": one, as "the" says
            if previous in ("the", "its", "their", "this", "that", "his", "her") or (
                previous.endswith(("'s", "’s"))
            ):
                definite = determined = True
                break
            if previous in _INDEFINITE or previous.isdigit():
                determined = True
                counted = previous in _COUNTS or previous.isdigit()
                break
        if not kind and not determined:
            continue  # a noun monuments are called by, but as a verb or in passing: "houses"
        if plural and _ONE_OF.search(sentence[: match.start()]):
            # "one of Iraq's most famous Shiite shrines" is one shrine, not named here.
            plural = definite = False
        found.append(
            Mention(
                "kind word",
                match.start(),
                match.end(),
                match.group(0),
                monument_kind=kind,
                noun=_singular(fold(word.split()[-1])),
                plural=plural,
                definite=definite,
                counted=counted,
            )
        )
    return found


def _pattern_mentions(
    sentence: str, covered: list[tuple[int, int]], pattern: re.Pattern[str], kind: str
) -> list[Mention]:
    return [
        Mention(kind, m.start(), m.end(), m.group(0))
        for m in pattern.finditer(sentence)
        if not _overlaps(m.start(), m.end(), covered)
    ]


_BRACKETS = re.compile(r"\([^)]*\)")
# Words of names that name nothing by themselves: "North West", "Iron Age", "Great".
_COMMON_NAME_WORDS = _GENERIC_NAME_WORDS | frozenset(
    "north south east west northern southern eastern western upper lower great grand old new "
    "main central national royal public iron age bronze stone two three holy saint st sacred "
    "first second local regional municipal state city art history historical".split()
)
# Before a one-word name, words that make it the end of another name: "Court of", "Federation
# for", "Museum of the".
_INSIDE_A_LONGER_NAME = re.compile(r"\b[A-Z][\w'’-]*\s+(?:of|for)\s+(?:the\s+)?$")
# After a name, words that make it a newspaper's or a channel's: "Al-Manar Television".
_MEDIA_NAME = re.compile(
    r"\s+(?:Television|TV|Radio|channel|newspaper|daily|weekly|news agency|website|magazine)\b",
    re.I,
)
# After a name, people or services it is the name of: "Paris fire crews", "Aleppo police".
_WHOSE = re.compile(
    r"\s+(?:fire (?:crews?|brigades?|fighters?|services?|departments?)|firefighters|firemen"
    r"|police|policemen)\b"
)


def _names_another_thing(after: str) -> bool:
    """Whether the words after a name make it a channel's or a service's ("Al-Manar
    Television", "Paris fire crews"): checked once a name is found, not for every span."""
    return bool(_MEDIA_NAME.match(after) or _WHOSE.match(after))


_PARTICLES = frozenset(
    "al el ad as ash at ad-din de del della di du des la le les of the bin ibn abu und y".split()
)
# After a place's name, words that make it another place's: "Bosra al-Harir", "Hama province",
# "Mosul Dam".
_LONGER_NAME = re.compile(
    r"\s*(?:-|\s)(?:al|el|ad|ash|as)-\w|\s+(?:province|governorate|region|district|oblast|"
    r"countryside|county|prefecture)\b|\s+(?!(?:The|On|In|And|But|As|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b)[A-Z][a-z]+\b"
    # "Palmyra's modern town": the town beside the site, not the site
    r"|[’']s\s+(?:modern|new|residential)\s+(?:town|city|part|districts?|quarters?|"
    r"neighbou?rhoods?)\b"
    # "Aleppo's Salaheddine district": a part of the town named, not the site
    r"|[’']s\s+(?:(?-i:[A-Z])[\w'’-]+\s+){1,2}(?:district|neighbou?rhood|suburb|area)s?\b",
)


def _has_proper_word(words: str) -> bool:
    """Whether some word is capitalised, or in a script without capitals (Arabic, …)."""
    return any(w[:1].isupper() or not w[:1].isascii() for w in words.split())


def _written_as_name(words: str) -> bool:
    """Whether words are written as a proper name: each capitalised, but for particles."""
    parts = re.split(r"[\s-]+", words)
    return (
        bool(parts)
        and parts[0][:1].isupper()
        and all(part[:1].isupper() or fold(part) in _PARTICLES for part in parts)
    )


_APPOSITION_AFTER = re.compile(r"\s*,\s*(?:an?|the|one of the)\s+(?:[\w'’-]+\s+){0,3}?", re.I)
_HELD_IN = re.compile(
    r"\b(?:that|which)\s+(?:holds?|houses?|contains?|is home to)\s+(?:[\w'’-]+\s+){0,5}$", re.I
)
_APPOSITION = re.compile(
    r"\s*(?:,\s*(?:the\s+)?|\s+(?:named|called|known as|dedicated to)\s+(?:the\s+)?"
    r"|\s+of\s+(?:the\s+)?)",
    re.I,
)
_LOCATIVE = re.compile(
    r"(?:\b(?:in|inside|within|at|near|on|along|beside|outside)\s+(?:the\s+)?"
    # "south of the Nile River city of Minya", "in the upper Egyptian town of": where
    r"|\b(?:city|town|village|province|governorate|region|district|outskirts) of\s+"
    r"|\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)? of\s+(?:the\s+)?)$",
    re.I,
)
# "temples of Bel and Baalshamin": a plural noun, "of", and a list of capitalised names.
_NAME = r"(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){0,2}"
_PLURAL_OF = re.compile(
    rf"\b(\w+(?:s|es))\s+of\s+(?:the\s+)?()({_NAME}(?:(?:\s*,\s*|\s*,?\s+and\s+){_NAME})+)",
    re.I,
)
_LISTED_NAME = re.compile(_NAME)
_ONE_OF = re.compile(r"\bone of (?:[\w'’-]+\s+){0,5}$", re.I)
_NEARBY = re.compile(
    r"\b(?:near|outside|close to|not far from)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?$", re.I
)
_SINGULAR_ANAPHORA = re.compile(
    r"^(?:it|its|the (?:building|structure|monument|edifice|site))", re.I
)


# "PALMYRA, Syria (Reuters) -", "DAMASCUS, Syria —", "BEIRUT (AP) —": where the reporter was.
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'’-]{2,}(?:,\s*[A-Z][\w .]+?)?(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([^)]{1,40}\))?\s*(?:[-—–]+|:|(?<=\d)\s)\s*"
    # "Daraa, SANA- …", "Kabul, Xinhua —": a place and an agency
    r"|^\s*[A-Z][\w'’ .-]{2,30},\s*(?:[A-Z]{2,6}|Xinhua|Reuters|Anadolu)\s*[-—–:]+\s*"
)


def strip_dateline(sentence: str) -> str:
    """The sentence without its dateline, blanked so positions stay."""
    match = _DATELINE.match(sentence)
    return " " * match.end() + sentence[match.end() :] if match else sentence
