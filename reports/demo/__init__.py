"""The Palmyra demo data: the site, its monuments, the article that started the project, and
one published damage report per damage the article describes, each quoting its sentence; and
two claims people can check (reports/demo/articles: short excerpts of real news stories, each
with its address, publisher and date as the page gives them):
- the Temple of Bel blown up on 30 August 2015, which Syria's antiquities chief disputed the
  next day, before UN satellite analysis showed almost nothing remained (a disputed claim,
  with the archived copy of the denial);
- the Tower of Elahbel destroyed "about 10 days" before 4 September 2015 (an approximate
  date), from an AP story carried by CBS News and The Salt Lake Tribune (one source, marked
  as a reprint) and USA Today's own (a second source).

Facts come from shared/docs/domain.md. Loading is idempotent and never overwrites what a curator
has changed: existing rows (matched on their natural keys) are left as they are.
"""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from typing import Any

from django.db import transaction

from reports.models import Citation, DamageReport, SourceArticle
from reports.services import report_publish, report_submit
from reports.vocabularies import (
    AssessmentBasis,
    Certainty,
    DamageType,
    DatePrecision,
    Extent,
    Stance,
)
from sites.models import AlternativeName, HeritageSite, Monument, SiteName

ARTICLE_PATH = Path(__file__).with_name("palmyra-recaptured-2016.txt")
ARTICLES_DIR = Path(__file__).with_name("articles")

SITES = [
    {
        "slug": "palmyra",
        "name": "Site of Palmyra",
        "unesco_id": 23,
        "countries": ["SY"],
        "region": HeritageSite.Region.ARAB_STATES,
        "category": HeritageSite.Category.CULTURAL,
        "criteria": "(i)(ii)(iv)",
        "year_inscribed": 1980,
        "in_danger_since": 2013,
        "latitude": "34.554167",
        "longitude": "38.266667",
        "description": "Oasis city of the Syrian desert (Tadmor, Tadmur), a caravan stop that "
        "grew into one of the great cities of the ancient world between the 1st and 2nd "
        "centuries AD. About 1,640 ha. Held by ISIS from May 2015 to March 2016 and again "
        "from December 2016 to March 2017.",
    },
    {
        "slug": "aleppo",
        "name": "Ancient City of Aleppo",
        "unesco_id": 21,
        "countries": ["SY"],
        "region": HeritageSite.Region.ARAB_STATES,
        "category": HeritageSite.Category.CULTURAL,
        "criteria": "(iii)(iv)",
        "year_inscribed": 1986,
        "in_danger_since": 2013,
        "latitude": "36.233333",
        "longitude": "37.166667",
        "description": "Placed on the List of World Heritage in Danger in 2013 with the other "
        "Syrian World Heritage properties.",
    },
]

# Arabic names (language "ar"), from shared/docs/domain.md where it gives them; the rest are
# the usual Arabic renderings (a second reader is welcome). Keyed by site slug, and by site
# slug / monument slug.
ARABIC_NAMES = {
    "palmyra": "تدمر",
    "aleppo": "مدينة حلب القديمة",
    "palmyra/temple-of-bel": "معبد بل",
    "palmyra/temple-of-baalshamin": "معبد بعل شمين",
    "palmyra/monumental-arch": "قوس النصر",
    "palmyra/tetrapylon": "التترابيلون",
    "palmyra/roman-theatre": "المسرح الروماني",
    "palmyra/valley-of-the-tombs": "وادي القبور",
    "palmyra/tower-of-elahbel": "برج إيلابل",
    "palmyra/tower-of-iamblichus": "برج يمليكو",
    "palmyra/tower-of-kithot": "برج كيتوت",
    "palmyra/tower-of-atenaten": "برج أتيناتان",
    "palmyra/lion-of-al-lat": "أسد اللات",
    "palmyra/palmyra-museum": "متحف تدمر",
    "palmyra/great-colonnade": "شارع الأعمدة",
    "palmyra/agora": "الآغورا",
    "palmyra/camp-of-diocletian": "معسكر ديوقلطيانوس",
    "palmyra/fakhr-al-din-castle": "قلعة فخر الدين المعني",
    "aleppo/great-mosque": "الجامع الأموي الكبير بحلب",
    "aleppo/citadel": "قلعة حلب",
}

# (site slug, slug, name, kind, period, alternative names, extra fields)
MONUMENTS = [
    (
        "palmyra",
        "temple-of-bel",
        "Temple of Bel",
        "temple",
        "consecrated AD 32",
        ["Temple of Baal", "Great Temple of Ba'al"],
        {
            "latitude": "34.547500",
            "longitude": "38.274400",
            "description": "The cella was blown up on 30 August 2015; the gateway survives.",
        },
    ),
    (
        "palmyra",
        "temple-of-baalshamin",
        "Temple of Baalshamin",
        "temple",
        "",
        ["Baal Shamin", "Baal-Shamin", "Temple of Ba'al Shamin"],
        {
            "latitude": "34.556100",
            "longitude": "38.266100",
            "description": "Blown up on 23 August 2015.",
        },
    ),
    (
        "palmyra",
        "monumental-arch",
        "Monumental Arch",
        "arch",
        "",
        ["Arch of Triumph", "Triumphal Arch", "Arch of Septimius Severus"],
        {"description": "Blown up on 4 October 2015."},
    ),
    ("palmyra", "tetrapylon", "Tetrapylon", "tetrapylon", "", ["Tetrakionion"], {}),
    (
        "palmyra",
        "roman-theatre",
        "Roman Theatre",
        "theatre",
        "",
        ["Theatre of Palmyra", "amphitheatre"],
        {},
    ),
    (
        "palmyra",
        "valley-of-the-tombs",
        "Valley of the Tombs",
        "necropolis",
        "",
        [],
        {"description": "The necropolis of tower tombs west of the city."},
    ),
    ("palmyra", "tower-of-elahbel", "Tower of Elahbel", "tower_tomb", "AD 103", [], {}),
    (
        "palmyra",
        "tower-of-iamblichus",
        "Tower of Iamblichus",
        "tower_tomb",
        "AD 83",
        ["Iamliku", "Jamblique"],
        {},
    ),
    ("palmyra", "tower-of-kithot", "Tower of Kithot", "tower_tomb", "AD 44", ["Kitot"], {}),
    ("palmyra", "tower-of-atenaten", "Tower of Atenaten", "tower_tomb", "", [], {}),
    (
        "palmyra",
        "lion-of-al-lat",
        "Lion of Al-lat",
        "statue",
        "",
        ["Lion of Allat"],
        {
            "current_location": "Damascus (restored, shown there from 1 October 2017)",
            "description": "Smashed on 27 June 2015.",
        },
    ),
    ("palmyra", "palmyra-museum", "Palmyra Museum", "museum", "", ["Tadmor Museum"], {}),
    ("palmyra", "great-colonnade", "Great Colonnade", "colonnade", "", ["Colonnaded Street"], {}),
    ("palmyra", "agora", "Agora", "other", "", [], {}),
    ("palmyra", "camp-of-diocletian", "Camp of Diocletian", "other", "", [], {}),
    (
        "palmyra",
        "fakhr-al-din-castle",
        "Fakhr-al-Din al-Ma'ani Castle",
        "castle",
        "",
        ["Palmyra Castle", "Qal'at Tadmur"],
        {},
    ),
    (
        "aleppo",
        "great-mosque",
        "Great Mosque of Aleppo",
        "mosque",
        "",
        ["Umayyad Mosque of Aleppo"],
        {},
    ),
    ("aleppo", "citadel", "Citadel of Aleppo", "castle", "", [], {}),
]

ARTICLE = {
    "publisher": "",
    "published_on": datetime.date(2016, 3, 27),  # "today": the recapture of 27 March 2016
    "language": "en",
}

OCCUPATION = "ISIS overran the Palmyra ruins and adjacent modern city in May 2015."
DESTRUCTION = (
    "It has since blown up two of the site's treasured temples, its triumphal arch and a dozen "
    "tower tombs, in a campaign of destruction that UNESCO described as a war crime punishable "
    "by the International Criminal Court."
)
MINES = (
    "Army sappers were defusing mines and bombs planted by ISIS in the city's ancient ruins, a "
    "UNESCO world heritage site where the jihadists sparked a global outcry with the systematic "
    "destruction of treasured monuments."
)
EXECUTIONS = (
    "The jihadists used Palmyra's ancient amphitheatre as a venue for public executions, "
    "including the beheading of the city's 82-year-old former antiquities chief."
)
TWO_TEMPLES = (
    " The article speaks of two temples without naming them: they are the Temples of Bel and "
    "Baalshamin, blown up in August 2015."
)

# The article dates everything only as "since May 2015", up to the recapture it reports.
_PERIOD = {
    "occurred_on": datetime.date(2015, 5, 1),
    "occurred_on_precision": DatePrecision.MONTH,
    "occurred_until": datetime.date(2016, 3, 27),
    "occurred_until_precision": DatePrecision.DAY,
}

# (monument slug or None for the whole site, damage type, extent, summary, quote)
REPORTS = [
    (
        None,
        DamageType.MILITARY_USE,
        Extent.UNKNOWN,
        "ISIS overran the ruins and the adjacent modern city in May 2015 and held them until "
        "Syrian forces recaptured Palmyra.",
        OCCUPATION,
    ),
    (
        None,
        DamageType.MINES,
        Extent.UNKNOWN,
        "Mines and bombs planted by ISIS in the ancient ruins; army sappers were defusing them "
        "after the recapture.",
        MINES,
    ),
    (
        "temple-of-bel",
        DamageType.EXPLOSIVES,
        Extent.DESTROYED,
        "Blown up by ISIS." + TWO_TEMPLES,
        DESTRUCTION,
    ),
    (
        "temple-of-baalshamin",
        DamageType.EXPLOSIVES,
        Extent.DESTROYED,
        "Blown up by ISIS." + TWO_TEMPLES,
        DESTRUCTION,
    ),
    (
        "monumental-arch",
        DamageType.EXPLOSIVES,
        Extent.DESTROYED,
        "The triumphal arch was blown up by ISIS.",
        DESTRUCTION,
    ),
    (
        "valley-of-the-tombs",
        DamageType.EXPLOSIVES,
        Extent.SEVERE,
        "A dozen tower tombs blown up by ISIS.",
        DESTRUCTION,
    ),
    (
        "roman-theatre",
        DamageType.MISUSE,
        Extent.UNKNOWN,
        "Used by ISIS as a venue for public executions, including the beheading of the city's "
        "former antiquities chief.",
        EXECUTIONS,
    ),
]


@transaction.atomic
def demo_load() -> Counter:
    """Create whatever of the demo data is missing. Returns counts of rows created and of rows
    found already present, keyed like "monuments created"."""
    counts: Counter = Counter()

    def tally(noun: str, created: bool) -> None:
        counts[f"{noun} {'created' if created else 'already present'}"] += 1

    sites = {}
    for fields in SITES:
        fields = dict(fields)
        slug = fields.pop("slug")
        site, created = HeritageSite.objects.get_or_create(slug=slug, defaults=fields)
        if created:
            site.full_clean()
        sites[slug] = site
        tally("sites", created)
        if arabic := ARABIC_NAMES.get(str(slug)):
            _, created = SiteName.objects.get_or_create(
                site=site, name=arabic, defaults={"language": "ar"}
            )
            tally("names in other languages", created)

    monuments = {}
    for site_slug, slug, name, kind, period, aliases, extra in MONUMENTS:
        monument, created = Monument.objects.get_or_create(
            site=sites[site_slug],
            slug=slug,
            defaults={"name": name, "kind": kind, "period": period, **extra},
        )
        if created:
            monument.full_clean()
        monuments[slug] = monument
        tally("monuments", created)
        for alias in aliases:
            _, created = AlternativeName.objects.get_or_create(monument=monument, name=alias)
            tally("alternative names", created)
        if arabic := ARABIC_NAMES.get(f"{site_slug}/{slug}"):
            _, created = AlternativeName.objects.get_or_create(
                monument=monument, name=arabic, defaults={"language": "ar"}
            )
            tally("alternative names", created)

    title, _, text = ARTICLE_PATH.read_text(encoding="utf-8").partition("\n")
    probe = SourceArticle(title=title.strip(), text=text, **ARTICLE)
    probe.clean()
    article = SourceArticle.objects.filter(text_sha256=probe.text_sha256).first()
    tally("articles", article is None)
    if article is None:
        probe.full_clean()
        probe.save()
        article = probe

    palmyra = sites["palmyra"]
    for monument_slug, damage_type, extent, summary, quote in REPORTS:
        reported = monuments[monument_slug] if monument_slug else None  # None: the whole site
        present = DamageReport.objects.filter(
            site=palmyra, monument=reported, damage_type=damage_type, citations__article=article
        ).exists()
        tally("damage reports", not present)
        if present:
            continue
        report = DamageReport(
            site=palmyra,
            monument=reported,
            damage_type=damage_type,
            extent=extent,
            summary=summary,
            certainty=Certainty.HIGH,
            assessment_basis=AssessmentBasis.NEWS_REPORT,
            responsible_party="ISIL",
            **_PERIOD,
        )
        report.full_clean()
        report.save()
        citation = Citation(report=report, article=article, quote=quote)
        citation.full_clean()
        citation.save()
        report_submit(report=report, by=None)
        report_publish(report=report, by=None)
    _checkable_claims(palmyra, monuments, tally)
    return counts


# Real articles (the excerpt kept is the file's text, its first line the headline), keyed by
# file name. Dates as the pages give them (None when the stored copy shows none).
# `archive_url`: the Wayback Machine's address for its copy nearest the year given (a partial
# timestamp; not checked from this offline machine).
CHECKABLE_ARTICLES: dict[str, dict[str, Any]] = {
    "foxnews-bel-claim": {
        "url": "http://www.foxnews.com/world/2015/08/30/isis-damages-ancient-temple-in-syria-"
        "palmyra-activists-say.html",
        "publisher": "Fox News",
        "published_on": datetime.date(2015, 8, 30),
    },
    "guardian-bel-still-standing": {
        "url": "https://www.theguardian.com/world/2015/aug/31/ancient-temple-bel-still-standing-"
        "syria-antiquities-chief",
        "publisher": "The Guardian",
        "published_on": datetime.date(2015, 8, 31),
        "archive_url": "https://web.archive.org/web/2015/https://www.theguardian.com/world/2015/"
        "aug/31/ancient-temple-bel-still-standing-syria-antiquities-chief",
    },
    "maltatoday-bel-un-confirms": {
        "url": "https://maltatoday.com.mt/news/world/56677/un_confirms_destruction_of_temple_of_"
        "bel_in_palmyra",
        "publisher": "MaltaToday (BBC)",
        "published_on": None,
    },
    "cbsnews-ap-tower-tombs": {
        "url": "https://cbsnews.com/news/isis-destroys-3-ancient-tombs-in-syria-official-says/",
        "publisher": "Associated Press",
        "published_on": None,
    },
    "sltrib-ap-tower-tombs": {
        "url": "https://www.sltrib.com/news/nation-world/2015/09/05/islamic-militants-destroy-"
        "ancient-syria-tombs",
        "publisher": "The Salt Lake Tribune",
        "published_on": datetime.date(2015, 9, 5),
        "republished_from": "cbsnews-ap-tower-tombs",
    },
    "usatoday-tower-tombs": {
        "url": "https://www.usatoday.com/story/news/world/2015/09/04/islamic-state-militants-"
        "destroy-tombs-palmyra/71697462/",
        "publisher": "USA Today",
        "author": "Oren Dorell",
        "published_on": datetime.date(2015, 9, 4),
    },
}

# (monument slug, fields, [(article, stance, quote)])
CHECKABLE_REPORTS = [
    (
        "temple-of-bel",
        {
            "damage_type": DamageType.EXPLOSIVES,
            "extent": Extent.DESTROYED,
            "occurred_on": datetime.date(2015, 8, 30),
            "summary": "A massive explosion set off by ISIS on 30 August 2015. Syria's "
            "antiquities chief said the next day that the temple still stood; UN satellite "
            "analysis then showed almost nothing remained.",
        },
        [
            (
                "foxnews-bel-claim",
                Stance.SUPPORTS,
                "Islamic State (ISIS) militants severely damaged a 2,000-year-old temple in the "
                "ancient Syrian city of Palmyra Sunday, activists said.",
            ),
            (
                "guardian-bel-still-standing",
                Stance.DISPUTES,
                "“The temple structure is on a raised terrace that can be seen from afar, and "
                "our information is that the temple is still there,” said Maamoun Abdulkarim, "
                "Syria’s director of antiquities, in a telephone interview from Damascus.",
            ),
            (
                "maltatoday-bel-un-confirms",
                Stance.SUPPORTS,
                "But UN satellite analysts Unosat say the image shows almost nothing remains.",
            ),
        ],
    ),
    (
        "tower-of-elahbel",
        {
            "damage_type": DamageType.EXPLOSIVES,
            "extent": Extent.DESTROYED,
            # "about 10 days ago" on Friday 4 September 2015.
            "occurred_on": datetime.date(2015, 8, 25),
            "occurred_on_approximate": True,
            "summary": "Destroyed by ISIS with other tower tombs about ten days before 4 "
            "September 2015, according to Syria's antiquities chief (witness accounts and "
            "ASOR's satellite images).",
        },
        [
            (
                "cbsnews-ap-tower-tombs",
                Stance.SUPPORTS,
                "Maamoun Abdulkarim, the head of the Antiquities and Museums Department in "
                "Damascus, said Friday the militants destroyed the tower tombs, including the "
                "Elahbel tower that dates back to the 103 AD, 10 days earlier.",
            ),
            (
                "sltrib-ap-tower-tombs",
                Stance.SUPPORTS,
                "Maamoun Abdulkarim, head of the Antiquities and Museums Department in "
                "Damascus, said Friday the militants destroyed the tower tombs, including the "
                "Elahbel tower that dates back to A.D. 103, 10 days earlier.",
            ),
            (
                "usatoday-tower-tombs",
                Stance.SUPPORTS,
                "Maamoun Abdulkarim, head of the Antiquities and Museums Department in "
                "Damascus, told the Associated Press on Friday that the militants destroyed the "
                "tower tombs, including the Elahbel tower built in 103 AD, about 10 days ago.",
            ),
        ],
    ),
]


def _checkable_claims(palmyra: HeritageSite, monuments: dict, tally) -> None:
    """The demo's disputed claim, reprinted story, archived copy and approximate date."""
    articles: dict[str, SourceArticle] = {}
    for name, fields in CHECKABLE_ARTICLES.items():
        fields = dict(fields)
        original = fields.pop("republished_from", None)
        title, _, text = (ARTICLES_DIR / f"{name}.txt").read_text(encoding="utf-8").partition("\n")
        probe = SourceArticle(title=title.strip(), text=text.strip(), language="en", **fields)
        probe.republished_from = articles.get(original) if original else None
        probe.clean()
        article = SourceArticle.objects.filter(text_sha256=probe.text_sha256).first()
        tally("articles", article is None)
        if article is None:
            probe.full_clean()
            probe.save()
            article = probe
        articles[name] = article
    for monument_slug, fields, citations in CHECKABLE_REPORTS:
        monument = monuments[monument_slug]
        first_article = articles[citations[0][0]]
        present = DamageReport.objects.filter(
            monument=monument, citations__article=first_article
        ).exists()
        tally("damage reports", not present)
        if present:
            continue
        report = DamageReport(
            site=palmyra,
            monument=monument,
            certainty=Certainty.HIGH,
            assessment_basis=AssessmentBasis.NEWS_REPORT,
            responsible_party="ISIL",
            **fields,
        )
        report.full_clean()
        report.save()
        for name, stance, quote in citations:
            citation = Citation(report=report, article=articles[name], quote=quote, stance=stance)
            citation.full_clean()
            citation.save()
        report_submit(report=report, by=None)
        report_publish(report=report, by=None)
