"""Words that signal damage, and words that name kinds of monuments, in news English.
The damage types and extents are those of shared/docs/domain.md."""

import re

from reports.vocabularies import DamageType, Extent
from sites.models import Monument

# (damage type, the extent it implies, pattern). Order matters only for reading.
_DAMAGE_CUE_PATTERNS: list[tuple[str, str, str]] = [
    (
        DamageType.EXPLOSIVES,
        Extent.DESTROYED,
        r"\b(?:blew|blown|blowing|blow)\s+(?:up|apart)\b|\bdynamit\w*|\bexplosives\b"
        r"|\bdetonat\w*|\bblasts?\b|\bblasted\b|\bexplosions?\b",
    ),
    (
        DamageType.HEAVY_WEAPONS,
        Extent.SEVERE,
        r"\bshell(?:ed|ing)\b|\bair ?strikes?\b|\bairstrikes?\b|\bbombard\w*|\bartillery\b"
        r"|\bmortar (?:fire|rounds?|shells?)\b|\bbarrel bombs?\b",
    ),
    (DamageType.GUNFIRE, Extent.MINOR, r"\bgunfire\b|\bbullet holes?\b|\briddled with bullets\b"),
    (
        DamageType.DEMOLITION,
        Extent.DESTROYED,
        r"\bdemolish\w*|\bdemolition\b|\brazed?\b|\brazing\b|\btorn down\b|\btore down\b"
        r"|\bpick-?axes?\b|\bhoes\b",
    ),
    (DamageType.BULLDOZING, Extent.DESTROYED, r"\bbulldoz\w*|\blevell?ed\b|\bheavy machinery\b"),
    (
        DamageType.SMASHING,
        Extent.SEVERE,
        r"\bsmash\w*|\bsledge-?hammers?\b|\bdefac(?:ed|ing|es)\b|\btoppl\w*"
        r"|\bpower drills?\b|\bjackhammers?\b|\bhammers\b",
    ),
    (
        DamageType.MINES,
        Extent.UNKNOWN,
        r"\b(?:land)?mines\b|\bmined\b|\bbooby[- ]?trap\w*|\bexplosive devices\b|\bieds?\b",
    ),
    (DamageType.LOOTING, Extent.MODERATE, r"\bloot\w*|\bplunder\w*|\billegal(?:ly)? excavat\w*"),
    (DamageType.THEFT, Extent.UNKNOWN, r"\bstolen\b|\bstole\b|\bsmuggl\w*|\btrafficked\b"),
    (
        DamageType.FIRE,
        Extent.SEVERE,
        r"\bburn(?:ed|t|ing)\b|\bset (?:on )?fire\b|\bset ablaze\b|\btorched\b|\bfire gutted\b",
    ),
    (DamageType.VANDALISM, Extent.MINOR, r"\bvandali[sz]\w*|\bgraffiti\b"),
    (
        DamageType.MILITARY_USE,
        Extent.UNKNOWN,
        r"\boverran\b|\boverrun\b|\bmilitary (?:base|positions?)\b"
        r"|\bused (?:it )?as a (?:military )?base\b|\bbarracks\b|\bsniper positions?\b",
    ),
    (DamageType.MISUSE, Extent.UNKNOWN, r"\bexecutions?\b|\bbehead\w*|\bexecuted\b"),
]
DAMAGE_CUES: list[tuple[str, str, re.Pattern[str]]] = [
    (kind, extent, re.compile(pattern, re.I)) for kind, extent, pattern in _DAMAGE_CUE_PATTERNS
]

# Destruction without its means: counted only when no more specific cue is in the sentence.
GENERIC_DESTRUCTION = re.compile(
    r"\bdestroy\w*|\bdestruction\b|\bwrecked\b|\breduced to rubble\b|\bflattened\b", re.I
)

# The kind words of the gazetteer: "temples" names no temple, but says which kind.
KIND_WORDS: dict[str, re.Pattern] = {
    kind: re.compile(pattern, re.I)
    for kind, pattern in {
        Monument.Kind.TEMPLE: r"\btemples?\b",
        Monument.Kind.ARCH: r"\b(?:triumphal |monumental )?arch(?:es)?\b",
        Monument.Kind.TOWER_TOMB: r"\btower[- ]tombs?\b|\bfunerary towers?\b",
        Monument.Kind.THEATRE: r"\b(?:amphi)?theat(?:re|er)s?\b",
        Monument.Kind.TETRAPYLON: r"\btetrapyl(?:on|a)\b",
        Monument.Kind.MUSEUM: r"\bmuseums?\b",
        Monument.Kind.COLONNADE: r"\bcolonnades?\b",
        Monument.Kind.CASTLE: r"\bcastles?\b|\bcitadels?\b",
        Monument.Kind.MOSQUE: r"\bmosques?\b",
        Monument.Kind.SHRINE: r"\bshrines?\b",
        Monument.Kind.MAUSOLEUM: r"\bmausole(?:um|ums|a)\b",
        Monument.Kind.STATUE: r"\bstatues?\b|\bsculptures?\b",
        Monument.Kind.PALACE: r"\bpalaces?\b",
        Monument.Kind.CITY_WALL: r"\bcity walls?\b|\bramparts?\b",
        Monument.Kind.CHURCH: r"\bchurch(?:es)?\b|\bcathedrals?\b",
        Monument.Kind.MONASTERY: r"\bmonaster(?:y|ies)\b",
        Monument.Kind.NECROPOLIS: r"\bnecropol(?:is|es)\b|\bcemeter(?:y|ies)\b",
    }.items()
}

# Words that point at the site as a whole when a sentence names no monument.
SITE_WORDS = re.compile(
    r"\bruins\b|\bancient (?:site|city)\b|\barch(?:a)?eological site\b|\bheritage site\b"
    r"|\bmonuments\b|\bthe site\b|\bsite's\b|\bantiquities\b",
    re.I,
)

# Prefixes that UNESCO names carry and news reports leave out: "Site of Palmyra" -> "Palmyra".
SITE_NAME_PREFIXES = re.compile(
    r"^(?:the )?(?:site of|ancient city of|old city of|archaeological site of|"
    r"historic centre of|ancient|old town of|city of)\s+",
    re.I,
)
