"""Each kind of error issue 15 found on real news, shown not to happen on a real article: the
articles of tests/reports/ingest_corpus/ (their sources are in each case's JSON) with the
gazetteer they need, and one AP story quoted below."""

import datetime
from pathlib import Path

import pytest

from reports.ingest import ingest_article
from reports.ingest.finding import Gazetteer, find_candidates
from reports.ingest.quality import HELD_OUT_FOLD, Case, ensure_places, load_cases
from reports.models import DamageReport, Proposal
from reports.services import proposal_discard, proposal_merge
from reports.vocabularies import DatePrecision
from sites.models import AlternativeName, HeritageSite, Monument

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "ingest_corpus"
CASES = {case.name: case for case in load_cases(CORPUS)}

# AP, "Historic Aleppo mosque damaged in fighting", 15 October 2012, as printed by The
# Washington Times (washingtontimes.com/news/2012/oct/15/historic-aleppo-mosque-damaged-in-
# fighting-repairs/): three sentences.
ALEPPO_MOSQUE_2012 = (
    "Syrian President Bashar Assad on Monday ordered immediate repairs to a historic mosque "
    "in the city of Aleppo after fierce fighting between rebels and regime forces set parts of "
    "the compound on fire over the weekend.\n"
    "Government troops had been holed up inside the 13th-century Umayyad mosque, a UNESCO "
    "World Heritage site, in downtown Aleppo for several months before rebels fighting to "
    "topple Mr. Assad launched a push to liberate it this week.\n"
    "Activist Mohammad al-Hassan said the army had been using the mosque as a base because of "
    "its strategic location in the center of the old city of Aleppo."
)


def found(case: Case) -> dict[tuple[str, str], object]:
    """(place, damage type) -> the first candidate, with every corpus case's places loaded (as
    a curator's database would hold them all)."""
    for other in CASES.values():
        ensure_places(other.places)
    candidates = find_candidates(case.title, case.text, case.published_on, Gazetteer())
    pairs: dict[tuple[str, str], object] = {}
    for candidate in candidates:
        pairs.setdefault((candidate.place.key, candidate.damage_type), candidate)
    return pairs


def test_a_monument_named_like_one_of_another_site_is_the_one_of_the_site_named(demo):
    damascus = HeritageSite.objects.create(
        slug="damascus", name="Ancient City of Damascus", unesco_id=20, countries=["SY"]
    )
    mosque = Monument.objects.create(
        site=damascus, slug="great-mosque", name="Great Mosque of Damascus", kind="mosque"
    )
    AlternativeName.objects.create(monument=mosque, name="Umayyad Mosque")
    candidates = find_candidates(
        "Historic Aleppo mosque damaged in fighting",
        ALEPPO_MOSQUE_2012,
        datetime.date(2012, 10, 15),
        Gazetteer(),
    )
    places = {(c.place.key, c.damage_type) for c in candidates}
    assert ("aleppo/great-mosque", "military_use") in places
    assert not any(key.startswith("damascus") for key, _ in places), places


def test_a_monument_named_by_its_age_faith_and_kind_alone_says_nothing_of_which_site(demo):
    # Palmyra's "Roman Theatre" (demo data) is one of many: in an article about Bosra, the
    # Roman theatre is not a sign the article is about Palmyra, nor Palmyra's theatre. Nor is
    # "Orthodox church", another name of Ganja's Alexander Nevsky Church (ganja-missile-attacks-
    # heritage-2020), a sign of Ganja ("Mobs … have burned Serbian Orthodox churches").
    HeritageSite.objects.create(
        slug="bosra", name="Ancient City of Bosra", unesco_id=22, countries=["SY"]
    )
    ganja = HeritageSite.objects.create(slug="ganja", name="Ganja", countries=["AZ"])
    church = Monument.objects.create(
        site=ganja, slug="alexander-nevsky-church", name="Alexander Nevsky Church", kind="church"
    )
    AlternativeName.objects.create(monument=church, name="Orthodox church")
    for text in (
        "Shelling damaged the Roman theatre in Bosra on Sunday.",
        "Shelling damaged the Byzantine church in Bosra on Sunday.",
        "Shelling damaged the Russian Orthodox church in Bosra on Sunday.",
    ):
        candidates = find_candidates(
            "Fighting in southern Syria", text, datetime.date(2015, 3, 2), Gazetteer()
        )
        assert [(c.place.key, c.damage_type) for c in candidates] == [("bosra", "heavy_weapons")]


def test_the_means_is_read_from_the_text_not_guessed_from_destroyed(demo):
    # "The strikes also destroyed a historic mosque in the village of Kfar Tibnit": strikes.
    pairs = found(CASES["nabatieh-souk-2024"])
    assert ("kfar-tibnit/kfar-tibnit-mosque", "heavy_weapons") in pairs
    assert not any(
        place == "kfar-tibnit/kfar-tibnit-mosque" and damage_type != "heavy_weapons"
        for place, damage_type in pairs
    )
    # "The al-Nejashi Mosque was reportedly shelled." "Its dome … were damaged."
    pairs = found(CASES["wukro-al-nejashi-mosque-2021"])
    assert ("wukro/al-nejashi-mosque", "heavy_weapons") in pairs
    assert ("wukro/al-nejashi-mosque", "demolition") not in pairs


def test_destroyed_with_no_means_anywhere_is_unknown(demo):
    # "Where the cella of the shrine of Baal Shamin once stood, only four columns now remain."
    pairs = found(CASES["palmyra-theatre-graffiti-2016"])
    assert ("palmyra/temple-of-baalshamin", "unknown") in pairs
    assert ("palmyra/temple-of-baalshamin", "demolition") not in pairs


def test_damage_to_unnamed_parts_is_the_sites_and_a_monuments_is_the_monuments(demo):
    # "Jihadists have reduced several temples, columns and other treasures to heaps of stone"
    # is the site's; "the Roman theatre … riddled with bullet marks" is the theatre's.
    pairs = found(CASES["palmyra-theatre-graffiti-2016"])
    assert ("palmyra", "unknown") in pairs
    assert ("palmyra/roman-theatre", "gunfire") in pairs
    assert ("palmyra", "gunfire") not in pairs
    # "garrisons at … citadels, including castles at Aleppo, Hama and Homs": each city's
    # citadel, not the three sites as a whole.
    pairs = found(CASES["ebla-military-use-2013"])
    for citadel in ("aleppo/citadel", "hama/hama-citadel", "homs/homs-citadel"):
        assert (citadel, "military_use") in pairs
    assert not {("aleppo", "military_use"), ("hama", "military_use")} & set(pairs)


def test_an_article_about_a_reopening_proposes_no_damage_of_its_own(demo):
    # The rebuilt bridge of Mostar inaugurated (UN News, 2004): the 1993 shelling is history.
    pairs = found(CASES["mostar-stari-most-reopening-2004"])
    assert set(pairs) <= {("mostar/stari-most", "heavy_weapons")}, pairs


def test_several_damages_in_one_sentence_are_each_kept(demo):
    # "Islamists used bombs and a bulldozer to destroy the tomb of a 15th century Sufi
    # scholar": both, on the tomb.
    pairs = found(CASES["zliten-sufi-shrine-2012"])
    assert ("zliten/abdel-salam-al-asmar-tomb", "explosives") in pairs
    assert ("zliten/abdel-salam-al-asmar-tomb", "bulldozing") in pairs
    # "The terrorist organizations also demolished the Temple of Bell and the Temple of
    # Baalshamin": a list shares its claim.
    pairs = found(CASES["palmyra-tetrapylon-theatre-2017"])
    assert {place for place, _ in pairs} >= {
        "palmyra/roman-theatre",
        "palmyra/tetrapylon",
        "palmyra/temple-of-bel",
        "palmyra/temple-of-baalshamin",
    }


def test_relative_dates_are_read_against_the_articles_date(demo):
    # "a centuries-old mosque that was damaged last month", in an article of 5 January 2021.
    pairs = found(CASES["wukro-al-nejashi-mosque-2021"])
    when = pairs[("wukro/al-nejashi-mosque", "heavy_weapons")].when
    assert (when.start, when.start_precision) == (datetime.date(2020, 12, 1), DatePrecision.MONTH)


def test_a_date_of_another_event_is_not_the_damages(demo):
    # "Built in 1566, supposedly with mortar made from egg whites, the 66ft Stari Most …":
    # neither 1566 nor the mortar is the bridge's damage of 9 November 1993 ("yesterday").
    pairs = found(CASES["mostar-stari-most-1993"])
    when = pairs[("mostar/stari-most", "heavy_weapons")].when
    assert when.start == datetime.date(1993, 11, 9)
    for candidate in pairs.values():
        assert candidate.when.start.year == 1993
        assert not any(word.startswith("since since") for word in candidate.matches)


def test_a_discarded_or_merged_proposal_is_not_proposed_again(demo, reviewer):
    case = CASES["palmyra-tetrapylon-theatre-2017"]
    article = f"{case.title}\n{case.text}".encode()
    first = ingest_article(data=article, published_on=case.published_on)
    theatre = next(p for p in first.proposals if p.monument and p.monument.slug == "roman-theatre")
    for proposal in first.proposals:
        if proposal != theatre:
            proposal_discard(report=proposal, by=reviewer)
    curated = DamageReport.objects.filter(
        monument__slug="roman-theatre", proposal_confidence=None
    )[0]
    proposal_merge(proposal=theatre, into=curated, by=reviewer)
    assert Proposal.objects.count() == len(first.proposals)
    again = ingest_article(data=article, published_on=case.published_on)
    assert again.proposals == []
    assert again.discarded_before == len(first.proposals)
    assert any("discarded or merged before" in message for message in again.messages)


def test_a_proposals_summary_names_its_place_not_the_articles_title(demo):
    case = CASES["palmyra-tetrapylon-theatre-2017"]
    result = ingest_article(data=f"{case.title}\n{case.text}", published_on=case.published_on)
    assert result.proposals
    for report in result.proposals:
        assert case.title not in report.summary
        place = report.monument.name if report.monument else report.site.name
        assert place in report.summary
    # A search for the theatre finds the theatre's drafts, not the Tetrapylon's.
    found_reports = DamageReport.objects.search("theatre").filter(
        pk__in=[r.pk for r in result.proposals]
    )
    assert {r.monument.slug for r in found_reports if r.monument} == {"roman-theatre"}


# Rules drawn from the development part's newer articles (never from held-out ones): what each
# article must and must not give.
NEWER_ARTICLE_RULES = [
    # "… the Arabic Al-Manar Television reported": a channel, not Benghazi's Al-Manar palace;
    # "Barakish, capital of a trade empire which sent … to … Rome, has also been bombed".
    (
        "jobar-synagogue-looted-burned-2013",
        {("jobar/jobar-synagogue", "fire"), ("jobar/jobar-synagogue", "looting")},
        {("benghazi/al-manar-palace", "fire"), ("benghazi/al-manar-palace", "theft")},
    ),
    (
        "ghazni-citadel-tower-collapse-2019",
        {("ghazni/ghaznain-fort", "natural")},
        {("jam/minaret-of-jam", "natural")},
    ),
    # "The Nanao Castle Ruins in Nanao …" then "The quake severely damaged the castle's stone
    # foundation": the castle just named, though the article's first site is another.
    (
        "noto-peninsula-cultural-properties-2024",
        {("nanao/nanao-castle-ruins", "natural")},
        {("nanao", "natural")},
    ),
    # The unnamed parts of a town that is no World Heritage property are its named monuments.
    (
        "santiago-churches-fire-2020",
        {("santiago/iglesia-de-la-asuncion", "fire"), ("santiago/san-francisco-de-borja", "fire")},
        {("santiago", "fire")},
    ),
    (
        "saada-hadi-mosque-airstrikes-2015",
        {("barakish", "heavy_weapons")},
        {("rome", "heavy_weapons")},
    ),
    # "hit by Russian fire" is shooting; "None of those confirmed damaged are … Saint Sophia".
    (
        "ukraine-unesco-53-sites-2022",
        {("kharkiv-oblast", "unknown"), ("kyiv", "unknown")},
        {("kharkiv-oblast", "fire"), ("kyiv/saint-sophia-cathedral", "fire")},
    ),
    # "Seven buildings were destroyed: Seiden, Hokuden, Nanden, Shoin, Kugani-Udun, …"
    (
        "shuri-castle-fire-2019",
        {("shuri-castle/shoin", "fire"), ("shuri-castle/kugani-udun", "fire")},
        set(),
    ),
    # "… was damaged, alongside the Khanenko art museum and the building that houses …"
    ("kyiv-khanenko-museum-2022", {("kyiv/khanenko-museum", "heavy_weapons")}, set()),
    # "collateral damage from the armed conflict, including …, as well as … Mukalla and Taez"
    (
        "marib-dam-airstrike-2015",
        {("zabid", "unknown"), ("taiz", "unknown"), ("marib/great-dam-of-marib", "heavy_weapons")},
        {("taiz", "heavy_weapons")},
    ),
    # "two major earthquakes in Kahramanmaraş": where the earth shook.
    (
        "hatay-archaeology-museum-earthquake-2023",
        {("antakya/hatay-archaeology-museum", "natural")},
        {("kahramanmaras", "natural")},
    ),
    # "a parked car that had been stolen hours earlier"
    (
        "florence-uffizi-bomb-1993",
        {("florence/uffizi", "explosives")},
        {("florence/uffizi", "theft")},
    ),
    # "beheaded four Confederate statues": smashed, not an execution.
    (
        "us-statues-toppled-2020",
        {("portsmouth/portsmouth-confederate-monument", "smashing")},
        {("portsmouth/portsmouth-confederate-monument", "misuse")},
    ),
    # A flood article: "St. Mark's Basilica has sustained serious damage".
    ("venice-san-marco-flood-2019", {("venice/st-marks-basilica", "natural")}, set()),
    # "the ruins of El Paraiso, near Lima": Lima is where, not what.
    ("el-paraiso-pyramid-2013", set(), {("lima", "unknown")}),
    # "Among the sites Walda declared unscathed by the bombing …"
    ("libya-roman-sites-spared-2011", set(), {("leptis-magna", "heavy_weapons")}),
    # "by using the ancient Iraqi city of Babylon as a military base, a British Museum report
    # says"; "tantamount to establishing a military camp around the Great Pyramid"
    (
        "babylon-military-base-2005",
        {("babylon", "military_use")},
        {("london/british-museum", "military_use"), ("giza/great-pyramid", "military_use")},
    ),
    # "A Russian attack on Kyiv overnight … The blast wave damaged Building No. 66"
    (
        "kyiv-pechersk-lavra-2026",
        {("kyiv/far-caves-entrance", "heavy_weapons")},
        {("kyiv/far-caves-entrance", "explosives")},
    ),
    # "protesters … toppled a statue of a 17th-century slave trader"
    (
        "bristol-colston-statue-2020",
        {("bristol/colston-statue", "demolition")},
        {("bristol/colston-statue", "smashing")},
    ),
    # "secure from thieves"; "the vandals did not manage to steal"
    (
        "cairo-egyptian-museum-break-in-2011",
        {("cairo/egyptian-museum", "smashing")},
        {("cairo/egyptian-museum", "theft"), ("cairo/egyptian-museum", "vandalism")},
    ),
    # "some 400 km north of Iraq's capital Baghdad"; bombs planted, then set off
    (
        "tal-afar-citadel-2014",
        {("tal-afar/tal-afar-citadel", "explosives")},
        {("baghdad", "explosives"), ("tal-afar/tal-afar-citadel", "mines")},
    ),
    # "Daraa, SANA- 20 archeological locations …": a dateline and an agency, not Sanaa
    ("bosra-archaeological-sites-2015", set(), {("sanaa", "heavy_weapons")}),
    # "480 kilometres (300 miles) east of the capital Sanaa"
    ("shibam-floods-2020", set(), {("sanaa", "natural")}),
    # "has been levelled with explosives": the explosives' doing, not a bulldozer's
    (
        "kosovo-monasteries-1999",
        {("musutiste/holy-trinity-monastery", "explosives")},
        {("musutiste/holy-trinity-monastery", "bulldozing")},
    ),
    # "The Erwang Temple and Mount Qingcheng …, and the Bao'en Temple … were among the worst hit"
    (
        "dujiangyan-erwang-temple-2008",
        {("qingcheng-dujiangyan/erwang-temple", "natural"), ("pingwu/baoen-temple", "natural")},
        set(),
    ),
    # "subjected the city of Shushi to missile fire from the Grad and Smerch installations"
    (
        "shusha-yukhari-govhar-agha-mosque-2020",
        {("shusha/yukhari-govhar-agha-mosque", "heavy_weapons")},
        {("shusha", "fire")},
    ),
    # "…, setting up camp in the Assumption Church": said of what follows, not the subject.
    (
        "chan-thar-assumption-church-2023",
        {("chan-thar/assumption-church", "military_use")},
        {("chan-thar", "military_use")},
    ),
    # "air attacks damaged part of the Great Marib Dam"; "burnt-brick towers" are no fire.
    (
        "yemen-awwam-temple-war-2018",
        {("marib/great-dam-of-marib", "heavy_weapons")},
        {("marib/great-dam-of-marib", "unknown"), ("saada", "fire")},
    ),
    # "… the Kyiv-Pechersk Lavra, a centuries-old monastery complex that holds some of
    # Ukraine's most revered shrines": the Lavra's own kind and what it holds, not more places.
    (
        "kyiv-pechersk-lavra-2026",
        {("kyiv/kyiv-pechersk-lavra", "heavy_weapons")},
        {("kyiv", "heavy_weapons")},
    ),
    # "Thursday's bombing … struck the Sidi Al-Andlusi mausoleum" in an article where
    # assailants "blew up" the shrine and nothing came from the air: a planted bomb.
    (
        "tajoura-sidi-al-andlusi-shrine-2013",
        {("tajoura/sidi-al-andlusi-mausoleum", "explosives")},
        {("tajoura/sidi-al-andlusi-mausoleum", "heavy_weapons")},
    ),
    # "The Europa hotel, described as Europe's most bombed building, was again badly damaged"
    ("belfast-grand-opera-house-1993", set(), {("belfast/europa-hotel", "heavy_weapons")}),
    # Threats and fears, however long the words between: "floods … have put the celebrated
    # minaret of Jam -- one of the country's most revered … treasures -- at risk of collapse",
    # "the rainfall has also threatened the minaret".
    ("jam-minaret-floods-2019", set(), {("jam/minaret-of-jam", "natural")}),
    # "the earthquake that struck Istanbul has raised fears for the safety of …", "before the
    # city's churches, mosques and palaces can be checked for damage".
    ("istanbul-earthquake-unscathed-1999", set(), {("istanbul", "natural")}),
    # "looters who dig approximately 20 trenches every month": looting, not a front line.
    ("naranjo-looting-2003", {("naranjo", "looting")}, {("naranjo", "military_use")}),
    # "Kumamoto Castle was damaged in a devastating earthquake" … "two turrets … also
    # collapsed": the earthquake's, though the article recalls the artillery of 1877.
    (
        "kumamoto-castle-earthquake-2016",
        {
            ("kumamoto-castle/higashi-juhachiken-yagura", "natural"),
            ("kumamoto-castle/kumamoto-daijingu", "natural"),
        },
        {("kumamoto-castle/higashi-juhachiken-yagura", "unknown")},
    ),
    # The fortress, palace and cathedral "have been damaged", means unsaid: "unknown".
    ("croatia-monuments-jna-1991", {("osijek/osijek-cathedral", "unknown")}, set()),
    # Mycenae's acropolis has "citadel" among its other names: "the landmark medieval Citadel"
    # of Aleppo is not a sign that an article is about Mycenae.
    ("aleppo-carlton-hotel-2014", set(), {("mycenae/acropolis", "explosives")}),
    # "At a press conference at UNESCO's headquarters in Paris …": where it was said.
    ("lebanon-heritage-largely-survived-2006", set(), {("paris", "heavy_weapons")}),
    # "Politicians in Pristina and Belgrade condemned the spraypainting …": where they sit.
    ("decani-monastery-graffiti-2014", set(), {("belgrade", "vandalism")}),
    # "wanted the minaret for a lookout"; "the Iran-allied fighters … holed up there"
    ("mogadishu-abdulaziz-mosque-2012", {("mogadishu/mnara-tower", "military_use")}, set()),
    ("saada-hadi-mosque-airstrikes-2015", {("taiz/al-qahira-castle", "military_use")}, set()),
    # "All the aforementioned sites except for the Citadel and its amphitheater are taken as
    # platforms for terrorists' attacks": every monument named before, but those two.
    (
        "bosra-archaeological-sites-2015",
        {
            ("bosra/kalybe", "military_use"),  # named two paragraphs before
            ("bosra/monastery-of-bahira", "military_use"),
            ("bosra/nabataean-lake", "military_use"),  # named in the paragraph before
        },
        {("bosra/bosra-citadel", "military_use"), ("bosra/roman-theatre", "military_use")},
    ),
    # "says a statue of Cecil John Rhodes doesn't appear to be damaged": "n't" is "not".
    (
        "cape-town-rhodes-statue-2015",
        set(),
        {
            ("cape-town/rhodes-statue-uct", "unknown"),
            ("cape-town/university-of-cape-town", "unknown"),
        },
    ),
    # "after security forces cracked down on supporters of the ousted Mohammed Morsi": no cracks.
    ("mallawi-museum-looting-2013", set(), {("cairo/egyptian-museum", "unknown")}),
    # Brasília's statue "A Justiça" is also called "Justice": not in "the International Court
    # of Justice" nor "the European Armenian Federation for Justice and Democracy".
    (
        "shusha-ghazanchetsots-cemetery-2024",
        {("shusha/st-john-the-baptist-church", "demolition")},
        {("brasilia", "demolition"), ("brasilia/a-justica", "demolition")},
    ),
]


@pytest.mark.parametrize(("name", "given", "not_given"), NEWER_ARTICLE_RULES)
def test_newer_development_articles_give_what_they_say(demo, name, given, not_given):
    case = CASES[name]
    assert case.fold != HELD_OUT_FOLD  # rules are never drawn from the held-out part
    pairs = set(found(case))
    assert given <= pairs, given - pairs
    assert not (not_given & pairs), not_given & pairs


def test_a_town_named_as_the_eastern_city_of_is_the_town_not_a_part_of_it(demo):
    # "… a museum in the centre of the eastern Ukrainian city of Kupiansk" names Kupiansk;
    # "in eastern parts of Aleppo" names a part of a modern town, not the site.
    case = CASES["kupiansk-museum-missile-2023"]
    ensure_places(case.places)
    gazetteer = Gazetteer()
    kupiansk = HeritageSite.objects.get(slug="kupiansk")
    sentence = next(s for s in case.text.splitlines() if "eastern Ukrainian city" in s)
    assert [m.site for m in gazetteer.mentions(sentence, [kupiansk]) if m.kind == "site"] == [
        kupiansk
    ]
    aleppo = HeritageSite.objects.get(slug="aleppo")
    assert not [
        m
        for m in gazetteer.mentions("Shells fell on eastern parts of Aleppo.", [aleppo])
        if m.kind == "site"
    ]


_BEL = {("palmyra/temple-of-bel", "explosives")}


@pytest.mark.parametrize(
    ("text", "given", "not_given"),
    [
        # Found in review of the rules above: each once lost or misread on a plain sentence.
        (
            "Apart from the Temple of Bel, the Temple of Baalshamin and the Monumental Arch were "
            "blown up by militants in Palmyra.",
            {
                ("palmyra/temple-of-baalshamin", "explosives"),
                ("palmyra/monumental-arch", "explosives"),
            },
            {("palmyra/temple-of-bel", "explosives")},
        ),
        (
            "Militants blew up the Temple of Bel in Palmyra on Sunday and threatened to destroy "
            "more monuments.",
            {("palmyra/temple-of-bel", "explosives")},
            set(),
        ),
        (
            "Shelling badly damaged the Temple of Bel in Palmyra and raised fears for the rest of "
            "the site.",
            {("palmyra/temple-of-bel", "heavy_weapons")},
            set(),
        ),
        (
            "The Roman Theatre in Palmyra, used as a shelter by hundreds of families, was hit by "
            "an air strike on Monday.",
            {("palmyra/roman-theatre", "heavy_weapons")},
            {("palmyra/roman-theatre", "military_use")},
        ),
        (
            # unnamed monuments in a place the gazetteer does not know are elsewhere, but
            # "churches in the capital" may be the site's own
            "Militants blew up the Temple of Bel in Palmyra. They also blew up two mosques in "
            "Basra.",
            {("palmyra/temple-of-bel", "explosives")},
            {("palmyra", "explosives")},
        ),
        (
            "Soldiers of the 80th Air Assault Brigade visited the Temple of Bel in Palmyra.",
            set(),
            {("palmyra/temple-of-bel", "heavy_weapons")},
        ),
        (
            "Officials in Damascus said Palmyra and Aleppo were shelled overnight.",
            {("palmyra", "heavy_weapons"), ("aleppo", "heavy_weapons")},
            set(),
        ),
        (
            "The Great Mosque of Aleppo was badly damaged by shelling in 2013. An earthquake "
            "struck Aleppo on Monday. The Citadel of Aleppo collapsed.",
            {("aleppo/citadel", "natural")},
            {("aleppo/citadel", "unknown")},
        ),
        # Found by a reviewer's sweep of news constructions (2026-12-08): each wrong before.
        ("The minister blew up at reporters who asked about the Temple of Bel.", set(), _BEL),
        (
            "Far from being destroyed, the Tower of Kithot is still standing, new drone footage "
            "shows.",
            set(),
            {("palmyra/tower-of-kithot", "heavy_weapons")},
        ),
        (
            "Nothing was stolen from the Palmyra Museum, its curator said.",
            set(),
            {("palmyra/palmyra-museum", "theft")},
        ),
        (
            "Reports that militants had blown up the Temple of Bel proved false, satellite "
            "imagery showed.",
            set(),
            _BEL,
        ),
        (
            "The shelling failed to damage the Citadel of Aleppo, whose thick walls withstood "
            "the bombardment.",
            set(),
            {("aleppo/citadel", "heavy_weapons")},
        ),
        (
            "Experts worry that looters may target the Valley of the Tombs in Palmyra.",
            set(),
            {("palmyra/valley-of-the-tombs", "looting")},
        ),
        (
            "A cleric called on followers to smash the statues of the Palmyra Museum.",
            set(),
            {("palmyra/palmyra-museum", "smashing")},
        ),
        (
            "There is no doubt that the Temple of Bel was destroyed with explosives, the "
            "antiquities department said.",
            _BEL,
            set(),
        ),
        (
            "Never before had the Citadel of Aleppo been shelled so heavily, residents said.",
            {("aleppo/citadel", "heavy_weapons")},
            set(),
        ),
        (
            "Russian state television claimed, without offering evidence, that the Temple of "
            "Bel in Palmyra had been blown to pieces.",
            _BEL,
            set(),
        ),
        (
            "Statues in the Palmyra Museum had their faces hacked off. The militants turned the "
            "Roman Theatre into a venue for public floggings.",
            {("palmyra/palmyra-museum", "smashing"), ("palmyra/roman-theatre", "misuse")},
            set(),
        ),
        (
            "The Great Mosque of Aleppo's roof has deteriorated for want of upkeep.",
            {("aleppo/great-mosque", "neglect")},
            set(),
        ),
        (
            "Islamic State used Palmyra Castle as an observation post.",
            {("palmyra/fakhr-al-din-castle", "military_use")},
            set(),
        ),
        (
            "Firefighters put out a blaze at a car park near the Citadel of Aleppo.",
            set(),
            {("aleppo/citadel", "fire")},
        ),
        (
            "The Temple of Bel was not damaged in Sunday's explosion, the antiquities chief "
            "said, adding that the blast had struck a nearby area.",
            set(),
            _BEL,
        ),
        (
            "Islamic State has blown up the towers of Elahbel, Iamblichus and Kithot, and the "
            "temples of Bel and Baalshamin in Palmyra.",
            {
                (f"palmyra/{monument}", "explosives")
                for monument in (
                    "tower-of-elahbel",
                    "tower-of-iamblichus",
                    "tower-of-kithot",
                    "temple-of-bel",
                    "temple-of-baalshamin",
                )
            },
            {("palmyra", "explosives")},
        ),
        (
            "Satellite images show the Bel temple in Palmyra was flattened by explosives.",
            _BEL,
            {("palmyra", "explosives")},
        ),
        (
            "Militants smashed the faces of statues in the Palmyra Museum. Militants smashed "
            "tombstones and funerary busts in the Valley of the Tombs.",
            {
                ("palmyra/palmyra-museum", "smashing"),
                ("palmyra/valley-of-the-tombs", "smashing"),
            },
            {("palmyra", "smashing")},
        ),
        (
            "A statue was stolen from the Temple of Bel in Palmyra, the police said.",
            {("palmyra/temple-of-bel", "theft")},
            {("palmyra", "theft")},
        ),
        (
            "Years of neglect have left the Tower of Elahbel in Palmyra on the verge of collapse.",
            {("palmyra/tower-of-elahbel", "neglect")},
            {("palmyra/tower-of-elahbel", "unknown")},
        ),
        (
            "Illegal houses have been built inside the Ancient City of Aleppo. A concrete hotel "
            "annexe was built against the walls of the Citadel of Aleppo.",
            {("aleppo", "construction"), ("aleppo/citadel", "construction")},
            set(),
        ),
        (
            "Rebels shelled government-held districts of western Aleppo. The fighting destroyed "
            "hundreds of homes in Palmyra's modern town.",
            set(),
            {("aleppo", "heavy_weapons"), ("palmyra", "unknown")},
        ),
        # An outside probe's real article (Round News, 23 August 2015), three of its sentences:
        (
            "ISIS blew up the Temple of Baalshamin in Palmyra. ISIS previously destroyed the "
            "central library in the Iraqi city of Mosul, ancient artefacts at the central museum "
            "and the ancient city of Nimrud.",
            {("palmyra/temple-of-baalshamin", "explosives")},
            {("palmyra/palmyra-museum", "explosives"), ("palmyra", "explosives")},
        ),
        (
            "A week ago, Khaled al-Asaad, who studied Palmyra for decades, had been beheaded by "
            "the militants. They executed 25 soldiers in the Roman Theatre of Palmyra.",
            {("palmyra/roman-theatre", "misuse")},
            {("palmyra", "misuse")},
        ),
        (
            "The Temple of Baalshamin in Palmyra, dedicated to the Phoenician god of storms and "
            "fertilising rains, was almost completely intact.",
            set(),
            {("palmyra/temple-of-baalshamin", "natural")},
        ),
        # A second sweep, of short wire stories (2026-12-08): possessives and shooting.
        (
            "Islamic State executed twelve prisoners on the stage of Palmyra's Roman theatre on "
            "Thursday. Artefacts have been stolen from Aleppo's Great Mosque, officials said.",
            {("palmyra/roman-theatre", "misuse"), ("aleppo/great-mosque", "theft")},
            set(),
        ),
        (
            "Palmyra's museum was ransacked by looters. Looters also ransacked shops in Aleppo's "
            "Salaheddine district.",
            {("palmyra/palmyra-museum", "looting")},
            {("palmyra", "looting"), ("aleppo", "looting")},
        ),
        (
            "Rebels used the Citadel of Aleppo as a position from which to fire on government "
            "troops, and stationed an anti-aircraft gun inside it.",
            {("aleppo/citadel", "military_use")},
            {("aleppo/citadel", "fire"), ("aleppo/citadel", "heavy_weapons")},
        ),
        (
            "Government troops had been holed up inside Aleppo's Umayyad Mosque for months. "
            "Activists said the army had used the building as a base. Soldiers also scrawled "
            "offensive graffiti on its walls, they said.",
            {("aleppo/great-mosque", "military_use"), ("aleppo/great-mosque", "vandalism")},
            {("aleppo", "military_use")},
        ),
        # Unnamed monuments of a kind beside named ones (2026-12-08): counted, they are more
        # of the site's ("three tower tombs"); not counted, they describe the named one or
        # where it stands ("over the necropolis", "museums … were forced to close").
        (
            "The Temple of Bel, the Monumental Arch and three tower tombs were blown up by the "
            "group in 2015, the report said.",
            {
                ("palmyra/temple-of-bel", "explosives"),
                ("palmyra/monumental-arch", "explosives"),
                ("palmyra", "explosives"),
            },
            set(),
        ),
        (
            "Islamic State claimed on Thursday that it had blown up the Tower of Atenaten in "
            "Palmyra, posting photos of a cloud of dust rising over the necropolis.",
            {("palmyra/tower-of-atenaten", "explosives")},
            {("palmyra", "explosives")},
        ),
        # A relative clause inside a passive's subject describes it: what it names was not
        # damaged (Saba, 2015: "Barakish, capital of a trade empire which sent … incense to
        # perfume the temples of ancient Greece and Rome, has also been bombed").
        (
            "The Temple of Bel, which stood beside the Agora for centuries, was blown up by "
            "militants.",
            {("palmyra/temple-of-bel", "explosives")},
            {("palmyra/agora", "explosives")},
        ),
        (
            "The Temple of Bel, a sanctuary which faced the Agora and the Tetrapylon, was blown "
            "up by militants.",
            {("palmyra/temple-of-bel", "explosives")},
            {("palmyra/agora", "explosives"), ("palmyra/tetrapylon", "explosives")},
        ),
        (
            "The Temple of Bel and the Agora, which lie in Palmyra, were damaged by shelling.",
            {("palmyra/temple-of-bel", "heavy_weapons"), ("palmyra/agora", "heavy_weapons")},
            set(),
        ),
        # "A museum in Kupiansk" is the town's one museum on record (Reuters, 2023: "struck a
        # museum in the centre of the eastern Ukrainian city of Kupiansk"); "a temple" of a
        # site with two is the site's. "Its windows were smashed" is what a missile left.
        (
            "Militants looted a museum in Palmyra on Sunday. They also blew up a temple in "
            "Palmyra.",
            {("palmyra/palmyra-museum", "looting"), ("palmyra", "explosives")},
            {("palmyra", "looting")},
        ),
        (
            "A missile hit the Palmyra Museum on Tuesday. Its windows were smashed.",
            {("palmyra/palmyra-museum", "heavy_weapons")},
            {("palmyra/palmyra-museum", "smashing")},
        ),
        # "assistance in repairing damage caused by the fire that destroyed part of the
        # historical city centre of Valparaiso" (UNESCO, 2007): the damage is so, only the
        # repair is yet to be. "A large hole was blown in the wall of the Grand Opera House"
        # (The Independent, 1993) is a blast; a gas explosion is not one.
        (
            "UNESCO offered its assistance in repairing damage caused by the fire that destroyed "
            "part of the old city of Aleppo on 3 February.",
            {("aleppo", "fire")},
            set(),
        ),
        (
            "A large hole was blown in the wall of the Palmyra Museum. A gas explosion set fire "
            "to the Temple of Bel.",
            {("palmyra/palmyra-museum", "explosives"), ("palmyra/temple-of-bel", "fire")},
            {("palmyra/temple-of-bel", "explosives")},
        ),
        (
            "Engineers began to restore the Temple of Bel on Monday.",
            set(),
            {("palmyra/temple-of-bel", "unknown")},
        ),
        # A list goes on after a relative clause (Kyiv Independent, 2026: "The blast wave
        # damaged Building No. 66, which serves as an entrance to the Far Caves, as well as
        # Building No. 67").
        (
            "Shelling damaged the Temple of Bel, which stands beside the Agora, as well as the "
            "Monumental Arch, officials said.",
            {
                ("palmyra/temple-of-bel", "heavy_weapons"),
                ("palmyra/monumental-arch", "heavy_weapons"),
            },
            {("palmyra/agora", "heavy_weapons")},
        ),
        # A place the article says took no damage takes none from its other sentences (AP
        # wording: "blown up two Muslim shrines near Palmyra … The Roman-era ruins themselves
        # have not been damaged"); its use as a base stands, and "largely intact" denies nothing.
        (
            "Militants have blown up two Muslim shrines near Palmyra. The Roman-era ruins "
            "themselves have not been damaged so far.",
            set(),
            {("palmyra", "explosives")},
        ),
        (
            "Rebels used the Citadel of Aleppo as a base, and shelling hit the Citadel. The "
            "Citadel itself was not damaged, officials said.",
            {("aleppo/citadel", "military_use")},
            {("aleppo/citadel", "heavy_weapons")},
        ),
        (
            "Shelling damaged the Temple of Bel. The temple is largely intact, officials said.",
            {("palmyra/temple-of-bel", "heavy_weapons")},
            set(),
        ),
        # "He said owners have built houses on the ancient sites" (VOA, Cyrene, 2018): the
        # site's, in an article about it.
        (
            "Tourists no longer visit Palmyra. Owners have built houses on the ancient sites, "
            "officials said.",
            {("palmyra", "construction")},
            set(),
        ),
        # "documenting all of the items taken from Kuwait's National Museum, the House of
        # Islamic Arts and Antiquities, and the Falaika Island Archeological Museum" (Los
        # Angeles Times, 1991): carried off, from each of them.
        (
            "Iraq documented all of the items taken from the Palmyra Museum and the Temple of "
            "Bel. The army had taken positions from which to fire.",
            {("palmyra/palmyra-museum", "theft"), ("palmyra/temple-of-bel", "theft")},
            set(),
        ),
        # News wordings of theft, vandalism, construction and neglect (the sweeps, 2026-12-08).
        (
            "Militants had removed several limestone busts from the Palmyra Museum. Soldiers "
            "carved their names into the Temple of Bel. Illegal concrete buildings have gone up "
            "inside Aleppo's Old City. The roof of the Citadel of Aleppo, left unrepaired for "
            "years, collapsed on Wednesday.",
            {
                ("palmyra/palmyra-museum", "theft"),
                ("palmyra/temple-of-bel", "vandalism"),
                ("aleppo", "construction"),
                ("aleppo/citadel", "neglect"),
            },
            set(),
        ),
        # Each monument with its means, in order: "respectively", "the first … the second",
        # "the former … the latter" (the sweeps' wire stories, 2026-12-08).
        (
            "The Temple of Bel and the Lion of Al-lat were blown up and smashed, respectively, "
            "UNESCO said.",
            {("palmyra/temple-of-bel", "explosives"), ("palmyra/lion-of-al-lat", "smashing")},
            {("palmyra/lion-of-al-lat", "explosives"), ("palmyra", "smashing")},
        ),
        (
            "The Tower of Atenaten and the Tower of Kithot were destroyed, the first with "
            "explosives and the second by bulldozers.",
            {
                ("palmyra/tower-of-atenaten", "explosives"),
                ("palmyra/tower-of-kithot", "bulldozing"),
            },
            {("palmyra/tower-of-kithot", "explosives"), ("palmyra/tower-of-atenaten", "unknown")},
        ),
        (
            "Two monuments in Palmyra were damaged in the battle: the Agora and the Tetrapylon. "
            "The former was hit by artillery, while the latter was riddled with bullets.",
            {("palmyra/agora", "heavy_weapons"), ("palmyra/tetrapylon", "gunfire")},
            {("palmyra", "heavy_weapons"), ("palmyra", "gunfire")},
        ),
        # "The minaret" after the Great Mosque is a part of it (Reuters wording, Aleppo 2013);
        # "the tower" after the Ghaznain Fort and the Minaret of Jam is the fort's, the one of
        # the sentence's site (ghazni-citadel-tower-collapse-2019).
        (
            "Video showed rubble in the courtyard of the Great Mosque of Aleppo. The minaret, "
            "which dated back to 1090 AD, had been hit by tank shells on Wednesday.",
            {("aleppo/great-mosque", "heavy_weapons")},
            set(),
        ),
        # A claim in a "where" clause is said of the place before it (Reuters, Venice 2019:
        # "at the Ca' Pesaro modern art gallery, where a short circuit set off a fire, and at La
        # Fenice theatre, where … the control room was flooded").
        (
            "Damage was reported at the Palmyra Museum, where a short circuit set off a fire, "
            "and at the Temple of Bel, where the cella was flooded.",
            {("palmyra/palmyra-museum", "fire"), ("palmyra/temple-of-bel", "natural")},
            {("palmyra/temple-of-bel", "fire")},
        ),
        # "after Paris fire crews created a wall of water between the flames" (AP, Notre-Dame
        # 2019): the crews are the town's, the flames are not said of it.
        (
            "Palmyra fire crews fought the flames for hours.",
            set(),
            {("palmyra", "fire")},
        ),
        # Unnamed places across a country are no one site's (Tasnim, 2015: "looting ancient
        # sites across Iraq and Syria on an industrial scale"); "in the Syrian city of Palmyra"
        # names the site.
        (
            "Palmyra is under threat. Islamic State is looting ancient sites across Iraq and "
            "Syria on an industrial scale.",
            set(),
            {("palmyra", "looting")},
        ),
        (
            "Palmyra is under threat. Militants have looted the ancient sites in the Syrian city "
            "of Palmyra.",
            {("palmyra", "looting")},
            set(),
        ),
        # A name followed by "Television" is a channel's ("the Arabic Al-Manar Television
        # reported", AP 2013, of a palace called Al-Manar in Benghazi).
        (
            "Shelling damaged the old city, Palmyra TV reported.",
            set(),
            {("palmyra", "heavy_weapons")},
        ),
    ],
)
def test_plain_sentences_keep_what_they_say(demo, text, given, not_given):
    candidates = find_candidates("News", text, datetime.date(2024, 5, 10), Gazetteer())
    pairs = {(c.place.key, c.damage_type) for c in candidates}
    assert given <= pairs, given - pairs
    assert not (not_given & pairs), not_given & pairs


def test_a_name_two_sites_share_is_the_world_heritage_propertys_unless_the_article_says(demo):
    # "Sana'a" is the modern city's name and the Old City's (marib-dam-airstrike-2015,
    # sanaa-nuqum-fortress-airstrike-2025): not whichever was added first.
    city = HeritageSite.objects.create(slug="sanaa-city", name="Sanaa (modern city)")
    old_city = HeritageSite.objects.create(
        slug="sanaa", name="Old City of Sana'a", unesco_id=385, countries=["YE"]
    )
    for site in (city, old_city):
        site.other_names.create(name="Sana'a", language="en")
    gazetteer = Gazetteer()
    sentence = "Many historic sites suffered damage in Sana'a."
    assert list(gazetteer.article_sites("Yemen at war", [sentence])) == [old_city]
    for about, meant in (([city, old_city], old_city), ([city], city)):
        sites = [m.site for m in gazetteer.mentions(sentence, about) if m.kind == "site"]
        assert sites == [meant]


def test_the_unnamed_parts_of_a_town_no_heritage_property_are_its_named_monuments(demo):
    # "Arsonists have burnt two churches in Santiago" beside the two churches by name
    # (santiago-churches-fire-2020): the monuments' damage, not the town's as well. A World
    # Heritage property's own words stay its damage ("shops in the old city of Aleppo"), and
    # so does damage said of a town by its name (the old case nimrud-2015: Nimrud bulldozed).
    santiago = HeritageSite.objects.create(slug="santiago", name="Santiago", countries=["CL"])
    for slug, name in (("asuncion", "Church of the Assumption"), ("borja", "Church of Borja")):
        Monument.objects.create(site=santiago, slug=slug, name=name, kind="church")
    text = (
        "Arsonists burned two churches in Santiago on Sunday. The Church of the Assumption was "
        "burned to the ground. The Church of Borja was also set on fire.\n"
        "In Aleppo, arsonists burned shops in the old city. The Great Mosque was burned too."
    )
    candidates = find_candidates("Churches burned", text, datetime.date(2020, 10, 19), Gazetteer())
    pairs = {(c.place.key, c.damage_type) for c in candidates}
    assert {
        ("santiago/asuncion", "fire"),
        ("santiago/borja", "fire"),
        ("aleppo", "fire"),
        ("aleppo/great-mosque", "fire"),
    } <= pairs
    assert ("santiago", "fire") not in pairs


def test_a_name_two_sites_share_is_the_one_of_the_site_named_just_before(demo):
    # amatrice-earthquake-2016: "Some of the greatest destruction was in Amatrice … Half the
    # facade of the 15th-century church of Sant'Agostino has collapsed", in an article that
    # names Norcia, which has a Sant'Agostino too, more often.
    for slug, name in (("norcia", "Norcia"), ("amatrice", "Amatrice")):
        site = HeritageSite.objects.create(slug=slug, name=name, countries=["IT"])
        Monument.objects.create(
            site=site, slug="sant-agostino", name="Sant'Agostino", kind="church"
        )
    text = (
        "The earthquake struck near Norcia. Norcia's walls held, and Norcia was spared.\n"
        "The greatest destruction was in Amatrice. Half the facade of the church of "
        "Sant'Agostino has collapsed."
    )
    candidates = find_candidates("Earthquake", text, datetime.date(2016, 8, 25), Gazetteer())
    pairs = {(c.place.key, c.damage_type) for c in candidates}
    assert ("amatrice/sant-agostino", "natural") in pairs
    assert ("norcia/sant-agostino", "natural") not in pairs
