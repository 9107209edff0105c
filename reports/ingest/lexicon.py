"""The words of news English that ingestion reads: how damage was done (the means, one damage
type each), damage said without its means, what cancels a claim (negation, denial, threat,
restoration), and the words that name kinds of monuments or a whole site. The damage types and
extents are those of shared/docs/domain.md."""

import re

from reports.vocabularies import DamageType, Extent
from sites.models import Monument

# Fire as a means, not "gunfire", "mortar fire", "opened fire", "ceasefire", "under fire" or
# "hit by Russian fire" (shooting, not burning).
_FIRE = (
    r"(?<!gun)(?<!cease)(?<!cross)(?<!mortar )(?<!tank )(?<!rocket )(?<!artillery )"
    r"(?<!sniper )(?<!under )(?<!line of )(?<!lines of )(?<!open )(?<!opened )"
    r"(?<!returned )(?<!machine-gun )(?<!exchanging )(?<!exchanged )(?<!exchange of )"
    r"(?<!to )"
    r"(?<!small-arms )(?<!heavy )(?<!enemy )(?<!hostile )(?<!russian )(?<!israeli )(?<!missile )"
    r"(?<!syrian )(?<!ukrainian )(?<!army )(?<!rebel )(?<!militant )"
    r"\bfires?\b(?! (?:brigade|fighters?|department|crews?|services?|engines?|trucks?|station|"
    r"chief|officials?|alarm|on|at|upon)\b)"
)

# (damage type, the extent it implies, pattern naming the means). A sentence may hold several.
_MEANS_PATTERNS: list[tuple[str, str, str]] = [
    (
        DamageType.EXPLOSIVES,
        Extent.DESTROYED,
        r"\b(?:blew|blown|blowing|blows?)[ -](?:it |them )?(?:up|apart)\b(?! at\b)|\bdynamit\w*"
        r"|\bexplosives?\b(?! (?:ordnance|remnants))|\bdetonat\w*|\bcar[- ]bomb\w*"
        r"|\bsuicide (?:bomb\w*|attack\w*)|\btruck[- ]bomb\w*|\btunnel[- ]bomb\w*"
        r"|\bbomb (?:exploded|went off|blast)|\bbombs?\b"
        r"|\b(?:blew|blown) (?:it |them )?to (?:pieces|bits|smithereens)\b"
        # ("a gas explosion" is an accident, whatever it destroyed)
        r"|\bblasts?\b|\bblasted\b|(?<!\bgas )\bexplosions?\b|\bexploded\b"
        r"|\bblew (?:a |an )?(?:\w+ )?holes? in\b|\bholes? (?:was|were) blown\b",
    ),
    (
        DamageType.HEAVY_WEAPONS,
        Extent.SEVERE,
        r"\bshell(?:ed|ing|s|fire)?\b(?! compan)|\bair ?strikes?\b|\bairstrikes?\b"
        r"|\bair ?raids?\b|\bair attacks?\b|\bbombard\w*|\bartillery\b"
        r"|\bbarrel[- ]bombs?\b"
        r"|\bmortar(?:s\b| (?:fire|rounds?|shells?|shelling|attacks?|bombs?|strikes?|barrages?|"
        r"hits?)\b)|\ba mortar (?:round |shell |bomb )?(?:blew|hit|struck|landed|exploded|fell)"
        r"|\b(?:cruise |ballistic |guided )?missiles?\b|\brockets?\b(?![- ]propelled)"
        r"|\btanks? (?:fire|shells?|rounds?|fired)\b|\bwarplanes?\b|\bfighter jets?\b"
        r"|\bbombers\b"
        r"|(?<!anti-)\baircraft\b|\baerial (?:bomb\w*|attacks?)"
        r"|\b(?:air|guided|glide|gliding) bombs?\b"
        r"|\bdrones?\b(?! (?:footage|images?|video|photos?|photographs?|shots?|cameras?|"
        r"pictures?|surveys?))|\bshahed\b|\bshrapnel\b"
        r"|\bexplosive-(?:packed|laden|filled) barrels?\b|\bbarrels? (?:packed|filled|laden) with "
        r"explosives\b|\bdropped (?:\w+\s+){0,2}(?:by|from) (?:\w+\s+){0,2}"
        r"(?:helicopters?|aircraft|planes?|jets?|warplanes?|drones?)\b"
        r"|\bcluster (?:munitions|bombs)\b|\bprojectiles?\b|\bhowitzers?\b|\bgrad\b"
        # not "Europe's most bombed building": what it is called, not what happened
        r"|(?<!car )(?<!suicide )(?<!truck )(?<!most )(?<!most-)\bbomb(?:ed|ing|ings)\b"
        r"|\bbombs? (?:fell|dropped)"
        r"|\b(?:israeli|russian|coalition|us-led|saudi-led|turkish|american|nato|military|"
        r"government|regime|enemy|army|ukrainian|syrian|iraqi|aerial) (?:air ?)?strikes?\b"
        r"|\bstrikes? (?:on|hit|targeted|struck|damaged|destroyed)\b"
        r"|\b(?:russian|israeli) (?:missile |drone |rocket |air )?attacks?\b"
        r"|\bstrikes?\b(?= (?:also |have |had |has |that )?(?:destroyed|damaged|hit|struck|"
        r"targeted|levell?ed|flattened|razed))|\bstruck by (?:a |an )?"
        r"(?:strike|projectile)",
    ),
    (
        DamageType.GUNFIRE,
        Extent.MINOR,
        r"\bgunfire\b|\bbullets?\b|\briddled\b|\bsmall[- ]arms\b|\bmachine[- ]?guns?\b"
        r"|\bsnipers?(?:'s?|’s?)? (?:and \w+ )?(?:fire|shots|bullets)\b|\bshot at\b"
        r"|\bgunmen opened fire\b|\bfirefights?\b",
    ),
    (
        DamageType.DEMOLITION,
        Extent.DESTROYED,
        r"\bdemolish\w*|\bdemolition\w*|\brazed?\b|\brazing\b|\btorn down\b|\btore down\b"
        r"|\btear(?:ing)? down\b|\bpulled down\b|\bknocked down\b|\bdismantl\w*"
        r"|\bpick-?axes?\b|\bhoes\b|\bshovels\b"
        # a statue toppled is pulled down
        r"|\btoppl\w*(?=\s+(?:\w+\s+){0,3}(?:statues?|busts?|columns?|pillars?|idols?|monuments?))"
        r"|\b(?:statues?|busts?|columns?|pillars?)\s+(?:\w+\s+){0,3}toppled\b",
    ),
    (
        DamageType.BULLDOZING,
        Extent.DESTROYED,
        r"\bbulldoz\w*|\blevell?(?:ed|ing)\b|\bheavy (?:machinery|vehicles|equipment)\b"
        r"|\bexcavators?\b",
    ),
    (
        DamageType.SMASHING,
        Extent.SEVERE,
        # (smashed windows, or "its windows were smashed": what a blast or a mob left)
        r"(?<!windows were )(?<!window was )(?<!glass was )(?<!doors were )(?<!door was )"
        r"\bsmash\w*(?!\s+(?:\w+\s+)?(?:windows?|glass|doors?|windscreens?))"
        r"|\bsledge-?hammers?\b|\bdefac(?:ed|ing|es|ement)\b"
        r"|\bpower drills?\b|\bjackhammers?\b|\bhammers?\b|\bchisel\w*"
        # shattered statues, masks, reliefs: smashing; shattered windows: what a blast left
        r"|\bshatter\w*(?= (?:\w+\s+){0,2}(?:statues?|masks?|reliefs?|sculptures?|busts?|idols?|"
        r"artefacts?|artifacts?|figures?|heads?|tombstones?))"
        r"|(?<=statues were )shattered|(?<=masks were )shattered|(?<=statue was )shattered"
        r"|\bbehead\w*(?=\s+(?:\w+\s+){0,3}(?:statues?|busts?|sculptures?|idols?|monuments?)\b)"
        r"|(?:(?<=statue was )|(?<=statues were )|(?<=statue is ))behead\w*"
        r"|\bdecapitat\w*|\bhack(?:ed|ing) (?:off|away)\b"
        r"|\bbroke (?:the |their )?(?:statues?|heads?|faces?)\b"
        r"|\b(?:statues?|heads?|reliefs?|busts?|sculptures?) (?:were |was )?broken\b",
    ),
    (
        DamageType.MINES,
        Extent.UNKNOWN,
        r"\b(?:land)?mines\b(?<!salt mines)|\bmined\b|\bbooby[- ]?trap\w*"
        r"|\bexplosive devices?\b|\bieds?\b|\bplant(?:ed|ing) (?:\w+ )?(?:bombs|mines)\b"
        r"|\bunexploded (?:ordnance|bombs|shells)\b"
        r"|\b(?:mines|bombs|explosives|ieds|explosive devices)\s+(?:\w+\s+)?planted\b",
    ),
    (
        DamageType.LOOTING,
        Extent.MODERATE,
        r"\bloot\w*|\bplunder\w*|\bpillag\w*|\bransack\w*|\billegal(?:ly)? (?:excavat|dig)\w*"
        r"|\billicit (?:excavat|dig)\w*|\bclandestine (?:excavat|dig)\w*|\btreasure hunters?\b"
        r"|\bpits? dug\b|\bdug (?:up|pits|holes|tunnels)\b",
    ),
    (
        DamageType.THEFT,
        Extent.UNKNOWN,
        r"\bstolen\b|\bstole\b|\bsteal\w*|\bsmuggl\w*|\btraffick\w*|\bthie(?:f|ves)\b"
        r"|\btheft\b|\bheist\b|\brobbe(?:d|ry)\b|\bburglar\w*|\bcarried off\b|\bmaking off\b"
        r"|\bmade off\b|\btaken away\b"
        # "militants had removed several limestone busts from its storerooms"
        r"|\bremoved (?:[\w-]+ ){0,3}?(?:artefacts|artifacts|objects|busts|statues|sculptures|"
        r"reliefs|mosaics|manuscripts|icons|pieces|items|treasures)\b"
        # "the items taken from Kuwait's National Museum": what was carried off, and from where
        r"|(?:(?<=\bitems )|(?<=\bpieces )|(?<=\bobjects )|(?<=\bartefacts )|(?<=\bartifacts )"
        r"|(?<=\btreasures )|(?<=\bantiquities ))taken(?= from\b)",
    ),
    (
        DamageType.FIRE,
        Extent.SEVERE,
        # not "burnt-brick towers": a material
        rf"{_FIRE}|\bblaze\b|\bablaze\b|\bflames\b"
        r"|\bburn(?:ed|t|ing|s)?\b(?! out)(?![- ]bricks?\b)|\btorched\b"
        r"|\barson\w*|\bgutted\b|\bset alight\b|\bengulfed (?:in|by) (?:flames|fire)\b"
        r"|\bashes\b"
        r"|\bincendiar\w*|\binferno\b",
    ),
    (
        DamageType.VANDALISM,
        Extent.MINOR,
        r"\bvandal\w*|\bgraffiti\b|\bspray[- ]?paint\w*|\bpaint(?:ed)? (?:over|on)\b"
        r"|\bsprayed\b|\bscrawl\w*|\bdaubed\b|\bpowder paint\b"
        r"|\b(?:wrote|written|painted)\s+(?:(?:their|his|the|in|black|red|names?|slogans?|"
        r"words?|messages?)\s+){1,3}"
        r"|\b(?:carv|scratch|etch)\w* (?:their|his|her) (?:own )?(?:names?|initials)\b",
    ),
    (
        DamageType.MILITARY_USE,
        Extent.UNKNOWN,
        r"\boverr[au]n\b|\bmilitary (?:base|bases|positions?|posts?|outposts?|camp|barracks|"
        r"installation|headquarters|use|purposes)\b|\bused (?:it |them )?as an? (?:military )?"
        r"(?:base|barracks|position|headquarters|ammunition depot|weapons depot|arms depot|"
        r"firing position|sniper position|observation post|command post)\b"
        r"|\bbarracks\b|\bsniper(?:s'?)? (?:positions?|nests?)\b|\btrenches\b"
        r"|\boccup(?:ied|ying|ation) by\b|\boccup(?:ied|ying) of\b|\bstationed\b|\bgarrison\w*"
        r"|\bholed up (?:inside|in|at|there)\b"
        r"|\b(?:used|using|use|uses) (?:[\w'’-]+\s+){1,6}?as an? "
        r"(?:military |army )?(?:base|barracks|position|headquarters|depot|outpost|fortress|"
        r"observation post|command post|firing position|sniper position|weapons depot|"
        r"arms depot)\b"
        r"|\btook up positions?\b|\bmilitary vehicles?\b"
        r"|\boccup(?:ied|y|ies|ying)\s+(?:the|a|an|its|parts? of)\b"
        # not "based in" (a London-based group) nor "deployed in" (troops sent to a city)
        r"|\b(?:camped|stationed|bunkered|entrenched|positioned|dug in|garrisoned)"
        r"\s+(?:\w+\s+)?(?:at|in|inside|on|around|there)\b|\bbunkers?\b"
        r"|\b(?:turned|converted|transformed|made) into (?:a |an )?(?:military|army)\b"
        r"|\bmilitary training (?:grounds?|camps?|areas?|range)\b|\bbillet(?:ed|ted|ing)?\b"
        # "setting up camp in the church", "used … as a shelter, stockade, sniper's nest",
        # "wanted the minaret for a lookout", "taken as platforms for attacks"
        r"|\bset(?:s|ting)? up (?:a |their )?camp\b"
        r"|\b(?:used|using|taken|took|turned) (?:[\w'’-]+\s+){0,6}?as (?:an? )?(?:"
        r"stockade|sniper'?s'? nests?|lookout|platforms? for|staging (?:area|ground))"
        r"|\bfor an? (?:lookout|sniper'?s'? nest)\b",
    ),
    (
        DamageType.MISUSE,
        Extent.UNKNOWN,
        r"\bexecutions?\b|\bbehead\w*|\bexecuted\b|\bfloggings?\b|\bflog(?:s|ged)\b"
        r"|\bpublic (?:lashings|punishments?)\b"
        r"|\bused (?:it )?as an? (?:prison|jail|detention centre|detention center|courthouse|"
        r"court|stable|warehouse|torture)\w*",
    ),
    (
        DamageType.CONSTRUCTION,
        Extent.MODERATE,
        # ("illegal concrete buildings have gone up")
        r"\b(?:illegal|unauthori[sz]ed|new) (?:[\w-]+ )?(?:construction|buildings?|development|"
        r"roads?)\b"
        r"|\bconstruction (?:work|works|project|projects|of (?:a|an|the) (?:road|hotel|"
        r"highway|dam|building))\b|\bdevelopment projects?\b|\bencroach\w*"
        r"|\burban (?:sprawl|development)\b|\bhigh-rise\w*|\broad[- ]?works?\b"
        r"|\bbuilt (?:\w+ )?(?:houses|homes|buildings|structures|shops) (?:on|in|inside|over)\b"
        # "illegal houses have been built inside", "an annexe was built against the walls"
        r"|\b(?:houses|homes|buildings|structures|shops|hotels?|annexes?|extensions?)\s+"
        r"(?:[\w'’-]+\s+){0,3}?built\s+(?:on|in|inside|over|against|within|into)\b"
        r"|\b(?:roads?|highways?|motorways?|railways?|pipelines?)\s+(?:[\w'’-]+\s+){0,3}?"
        r"(?:laid|built|cut|driven|paved)\s+(?:across|through|over|into)\b",
    ),
    (
        DamageType.NATURAL,
        Extent.SEVERE,
        r"\bearthquakes?\b|\bquakes?\b|\btremors?\b|\bseismic\b|\bflood\w*"
        r"|(?<!to )\bstorms?\b(?! (?:a|an|the|into|through|its|their)\b)"
        r"|\bcyclones?\b|\bhurricanes?\b|\btyphoons?\b|\blandslides?\b|\berosion\b"
        r"|\b(?:heavy|torrential) rains?\b|\brainfall\b|\blightning\b|\btsunami\b"
        r"|\bweathering\b|\bsandstorms?\b",
    ),
    (
        DamageType.NEGLECT,
        Extent.MODERATE,
        r"\bneglect\w*"
        r"|\b(?:lack|want) of (?:maintenance|upkeep|care|funding|investment|repairs?)\b"
        r"|\bpoor (?:maintenance|upkeep)\b"
        r"|\bdisrepair\b|\bdecay\w*|\bmismanag\w*|\bpoorly maintained\b"
        r"|\bleft unrepaired\b|\bunmaintained\b|\black(?:ed|s)? (?:the )?funds to maintain\b",
    ),
]
MEANS: list[tuple[str, str, re.Pattern[str]]] = [
    (kind, extent, re.compile(pattern, re.I)) for kind, extent, pattern in _MEANS_PATTERNS
]

# Damage said without its means: the type comes from the means the text gives elsewhere for
# the same place, or is unknown. "Ruins" is the noun, not the verb.
GENERIC_DAMAGE = re.compile(
    r"\bdestroy\w*|\bdestruction\b|\bdamag(?:ed|ing|es|e)\b|\bwreck\w*"
    r"|\breduced\b(?:\s+\S+){0,10}?\s+to\s+(?:little more than\s+)?(?:rubble|heaps?|ashes|dust|"
    r"ruins|piles?|a pile|debris|stones?)\b|\bonce stood\b|\bonly\b(?:\s+\S+){0,4}\s+(?:now\s+)?"
    r"remains?\b|\b(?:lie|lies|lay|lying) (?:on the ground|in ruins|in pieces)\b"
    r"|\bflattened\b|\bshatter(?:ed|ing)?\b|\bcollaps\w*|\bdevastat\w*|\bobliterat\w*"
    r"|\bwiped out\b|\bruined\b"
    r"|\b(?:worst|hardest|badly|heavily)[- ]hit\b|\bwas hit\b|\bwere hit\b|\bbeen hit\b"
    r"|\bhit by\b|\bstruck\b|\btargeted\b|\btargeting\b"
    r"|\battack(?:ed|s)? on\b|\battacked\b|\bin ruins\b|\blost (?:its|their)\b"
    r"|\bcaved in\b|\bcracks?\b|\bcracked\b(?! down)|\bdesecrat\w*|\berasure\b|\berased\b"
    r"|\b(?:blast|shock) ?waves?\b"
    # what shelling or a blast leaves, not an act of smashing
    r"|\bsmashed (?:in)?to (?:pieces|bits|smithereens|fragments)\b",
    re.I,
)

# A natural event named as an event: what follows it is where it happened.
NATURAL_EVENT = re.compile(
    r"(?:earthquakes?|quakes?|tremors?|storms?|hurricanes?|cyclones?|typhoons?|tsunami)", re.I
)
# Damage said with a cause that is no means: "collateral damage from the armed conflict",
# "shattered by war". Its type is unknown, not a means borrowed from elsewhere.
NO_MEANS_CAUSE = re.compile(
    r"^\s*,?\s*(?:\w+\s+){0,3}?(?:by|in|from|during|amid|due to|because of|as a result of)\s+"
    r"(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}?(?:war|wars|conflict|fighting|clashes|hostilities|"
    r"unrest|violence|riots?|battles?|combat)\b",
    re.I,
)
# Words that say the means is not known: "was also damaged, but further details are
# unavailable".
MEANS_NOT_KNOWN = re.compile(
    r"\b(?:further )?details (?:are|were|remain) (?:unavailable|not (?:yet )?available|unclear)"
    r"|\bit (?:is|was|remains) (?:unclear|not clear|not known) (?:how|what|who)\b"
    r"|\bcause (?:of the damage )?(?:is|was|remains) (?:unknown|unclear|not (?:yet )?known)",
    re.I,
)
# Things stolen that are no heritage: "a parked car that had been stolen".
NOT_HERITAGE_STOLEN = re.compile(
    r"\b(?:car|cars|vehicles?|trucks?|van|vans|motorcycles?|phones?|cash|money)\b"
    r"(?:\s+\w+){0,4}\s*$|^\s*(?:a |the )?(?:car|cars|vehicles?|trucks?|van|vans)\b",
    re.I,
)

# Ways of saying military use that civilians' use shares ("set up camp", "a lookout", "a
# sniper's nest"): military only where fighters are in the sentence.
SOFT_MILITARY_USE = re.compile(
    r"^(?:set(?:s|ting)? up|(?:used|using|taken|took|turned)\b.*\bas\b|for an?\b)", re.I
)
ARMED_AGENT = re.compile(
    r"\b(?:militar\w*|militants?|militias?|fighters?|troops?|soldiers?|army|armies|rebels?|"
    r"jihadists?|insurgents?|forces|gunmen|terrorists?|snipers?|al-shabaab|daesh|isis|isil|"
    r"islamic state|extremists?|paramilitar\w*|guerrillas?|separatists?)\b",
    re.I,
)
# Bombs from the air, in the sentence that says "bombed".
AIRCRAFT = re.compile(
    r"\b(?:air|aircraft|jets?|warplanes?|planes?|aerial|helicopters?|drones?|bombers)\b", re.I
)
# Words of bombing that say neither from the air nor planted: the article's other words tell.
BOMBING = re.compile(r"^(?:bomb(?:ed|ing|ings))$", re.I)
# Means that only make sense alongside a stronger one: an explosion in a sentence about
# shelling is the shell's.
WEAK_MEANS = {
    DamageType.EXPLOSIVES: re.compile(r"^(?:bombs?|blasts?|blasted|explosions?|exploded)$", re.I),
}

# Extent words, strongest first: the first one found in a claim's clause sets its extent.
EXTENT_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        Extent.DESTROYED,
        re.compile(
            r"\b(?:completely|totally|entirely|fully) (?:destroyed|demolished|burn\w*)"
            r"|\breduced to (?:rubble|ashes|dust)|\bflattened\b|\bobliterat\w*|\bwiped out\b"
            r"|\brazed\b|\blevell?ed\b|\bblown up\b|\bblew up\b|\bno longer exists?\b",
            re.I,
        ),
    ),
    (
        Extent.SEVERE,
        re.compile(
            r"\b(?:severely|badly|heavily|seriously|extensively|largely|partly|partially)"
            r" (?:damaged|destroyed|burn\w*)|\bsevere damage\b|\bheavy damage\b"
            r"|\bextensive damage\b|\bgutted\b|\bcollapsed\b",
            re.I,
        ),
    ),
    (
        Extent.MINOR,
        re.compile(
            r"\b(?:slightly|lightly|minor|superficial(?:ly)?|light) (?:damage\w*)\b"
            r"|\bminor damage\b|\bcracks?\b|\bcracked\b|\bbroken windows\b",
            re.I,
        ),
    ),
    (Extent.MODERATE, re.compile(r"\bdamaged\b|\bdamage\b", re.I)),
    (Extent.DESTROYED, re.compile(r"\bdestroy\w*|\bdestruction\b", re.I)),
]

# "repairing damage caused by the fire that destroyed …", "to repair fire damage": the damage is
# so; only the repair is yet to be (the verb is what _cancelled leaves out).
DAMAGE_TO_REPAIR = re.compile(
    r"\b((?:repair|restor|rebuil|reconstruct)\w*)\s+(?:the\s+)?(?:[\w-]+\s+)?damage\b",
    re.I,
)

# Words that cancel a claim when they come before it in its clause: negation, denial, threat,
# fear, protection, a hypothesis. "ISIS could destroy the temple" reports no damage.
CANCEL_BEFORE = re.compile(
    r"\bnot\b(?! only)|n[’']t\b|\bnever\b(?! before)|\bno\b(?! (?:doubt|secret|question)\b)"
    r"|\bnone\b|\bnor\b|\bneither\b"
    # "claimed, without offering evidence, that …": a claim, not a negation
    r"|\bwithout\b(?! (?:offering|providing|giving|citing|presenting) (?:any )?"
    r"(?:evidence|proof)\b)"
    r"|\bunscathed\b|\bunharmed\b|\bundamaged\b|\buntouched\b|\bwithst(?:ood|and|ands)\b"
    r"|\bden(?:y|ied|ies|ying)\b"
    r"|\brefut\w*|\brejected (?:claims|reports)\b|\bfalse\b|\bescaped\b|\bspared\b|\bsurvived\b"
    r"|\bcould\b|\bmight\b|(?-i:\bmay\b)|\bwould\b|\bwill\b|\bshall\b|\bwon[’']t\b"
    r"|\bthreat\w*|\bfear\w*|\bwarn\w*|\brisk\w*|\bdanger of\b|\bvulnerable\b"
    r"|\bworr(?:y|ied|ies|ying)\b|\bconcerns? that\b|\bcall(?:s|ed|ing)? (?:on|for)\b"
    r"|\burg(?:e|ed|es|ing)\b"
    r"|\bplan(?:s|ned|ning)?\b|\bvow\w*|\bintend\w*|\bprevent\w*|\bprotect(?:s|ing|ion)?\b"
    r"|\bsav(?:e|ed|ing) (?:it|them|the)\b"
    r"|\bavoid\w*|\bstop(?:ped|ping)?\b|\bhalt\w*|\bif\b|\bunless\b"
    r"|\bwhether\b|\bso as to\b|\bin order to\b|\bto prevent\b|\bpreserv\w*|\brestor\w*"
    r"|\brebuil\w*|\breconstruct\w*|\brepair\w*|\brenovat\w*|\breopen\w*|\bsafeguard\w*"
    r"|\bwhat if\b|\bimagine\b|\bpotential\w*|\bpossible\b|\bpossibly\b|\bfail(?:ed|s)? to\b"
    r"|\btantamount\b|\bakin to\b|\bcomparable to\b|\bequivalent of\b|\b(?:secure|safe) from\b"
    # "the army, which controls all the major artillery": what it holds, not what it did
    r"|\b(?:controls?|controlled|controlling|possess(?:es|ed)?|owns?)\s+(?:all\s+)?"
    r"(?:the\s+|its\s+|their\s+)?(?:major\s+|heavy\s+)?$"
    # "before the city's churches … can be checked for damage"
    r"|\b(?:check|checked|assess|assessed|inspect|inspected|examined|surveyed)\s+for\b",
    re.I,
)
# ... or when they come after it in its clause: "reports that it was blown up were false".
CANCEL_AFTER = re.compile(
    r"\b(?:was|were|are|is|proved|proven|turned out to be) (?:false|untrue|baseless|unfounded|"
    r"denied|exaggerated|wrong)\b"
    r"|\bden(?:ied|ies)\b|\bnot true\b|\bwere averted\b|\bwas averted\b|\bwas thwarted\b"
    r"|\bwas foiled\b|\bwere foiled\b"
    # "the vandals did not manage to steal"
    r"|^\W*(?:\w+\s+){0,2}?(?:did not|didn[’']t|failed to|could not|couldn[’']t|were unable to|"
    r"was unable to)\b"
    # The claim's own verb a threat, with no "and" nor comma between (not "blew up the temple
    # and threatened to destroy more"): "floods … have put the minaret -- one of … -- at risk
    # of collapse", "the rainfall has also threatened the minaret", "the earthquake that struck
    # Istanbul has raised fears for the safety of its heritage".
    r"|^(?:(?!\band\b)[^,;])*?\b(?:(?:put|puts|putting|left|leaves|placed)\b(?:\s+\S+){0,20}?"
    r"\s+at risk\b|threaten(?:s|ed|ing)?\b"
    r"|(?:raised|raises|raising|sparked|prompted)\s+(?:\w+\s+)?(?:fears|concerns?|worries)\b)"
    # "the explosion occurred very close to the Lavra", "hit around the city": near, not on it
    r"|\b(?:occurred|landed|exploded|fell|hit|struck)\s+(?:\w+\s+){0,2}?(?:close to|near|nearby|"
    r"next to|around|outside)\b"
    # "the blast had struck a nearby area": the claim's own object, something else
    r"|^\s*(?:a|an|the)?\s*(?:nearby|adjacent|neighbou?ring)\b"
    # "hit around the city only about 500 meters away from the ancient site"
    r"|\b(?:meters|metres|kilometres|kilometers|km|miles|yards)\s+(?:away\s+)?from\b",
    re.I,
)
# A clause whose subject is negated: "No archaeological site … has been damaged".
SUBJECT_NEGATED = re.compile(r"\W*(?:no|none of|neither|not a single|not one|nothing)\b", re.I)
# Words after a generic claim that say it did not happen: "suffered no damage", "intact".
INTACT = re.compile(
    r"\bintact\b|\bunharmed\b|\bundamaged\b|\bunscathed\b|\buntouched\b|\bstill standing\b"
    r"|\bin good condition\b|\bsafe and sound\b|\bremain(?:s|ed)? standing\b",
    re.I,
)

# Where a clause ends, for the reach of a cancelling word and of a date.
CLAUSE_BREAK = re.compile(
    r";|:|\s[—–]\s|\s-\s|,\s*(?:but|while|whereas|although|though|as(?! well as)|after|before|"
    r"when|since|which|who|where)\b|\s(?:but|while|whereas|although|though)\s"
    # a consequence: "…, spawning mass protests and triggering reprisal attacks"
    r"|,\s*(?:spawning|triggering|sparking|prompting|provoking|drawing|raising|fuelling|fueling)\b"
    r"|\s(?:that|which|who)\s+(?=(?:was|were|had|has|have|is|are)\b)",
    re.I,
)

# Before a claim, the auxiliary of the passive ("was blown up"): the place is before it.
PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|is|are|be|got|get|gets)\s+(?:\w+ly\s+|also\s+|all\s+|then\s+|"
    r"later\s+|not\s+|both\s+|subsequently\s+|allegedly\s+|reportedly\s+|apparently\s+|"
    r"deliberately\s+|nearly\s+|almost\s+|either\s+|among the\s+){0,3}$",
    re.I,
)
# A use the place was put to, said after it: "used the theatre as a venue for executions".
AS_A_USE = re.compile(r"\bas an? (?:\w+\s+){0,3}?(?:for\s+(?:\w+\s+){0,2})?$", re.I)
# A claim made as a noun, whose place follows: "the destruction of the temple".
NOUN_OF = re.compile(
    r"^\s*(?:(?:was|were|has been|have been)\s+(?:caused|done|inflicted|reported)\s+)?"
    r"(?:of|to|at|on|in|inside|against|near)\b",
    re.I,
)
# After damage said in the passive, more places it was said of: "was damaged, alongside the
# Khanenko museum".
ALONGSIDE = re.compile(r"^\s*,?\s*(?:alongside|along with|as well as|together with)\b", re.I)
# What a claim's places are not sought back past: "no damage to the church but …".
CONTRAST = re.compile(r"\bbut\b", re.I)
# Places named after these are left out of what a claim is said of: "all the sites except for
# the Citadel … are used as platforms", "every church was looted apart from St George's".
EXCEPT = re.compile(
    r"\b(?:except(?: for)?|apart from|other than|save for|with the exception of)\s", re.I
)
# A dash that opens or closes an aside ("the Cathedral – whose statue fell –, the chapel"): not
# the end of a clause when another closes it.
DASH = re.compile(r"\s[—–]\s|\s[—–],|\s-\s")

# The kind words of the gazetteer: "temples" names no temple, but says which kind.
KIND_WORDS: dict[str, re.Pattern] = {
    kind: re.compile(pattern, re.I)
    for kind, pattern in {
        Monument.Kind.TEMPLE: r"\btemples?\b",
        Monument.Kind.ARCH: r"\b(?:triumphal |monumental )?arch(?:es|way)?\b",
        Monument.Kind.TOWER_TOMB: r"\btower[- ]tombs?\b|\btomb[- ]towers?\b|\bfunerary towers?\b"
        r"|\bfuneral towers?\b|\bburial towers?\b",
        Monument.Kind.THEATRE: r"\b(?:amphi)?theat(?:re|er)s?\b",
        Monument.Kind.TETRAPYLON: r"\btetrapyl(?:on|a)\b",
        Monument.Kind.MUSEUM: r"\bmuseums?\b",
        Monument.Kind.COLONNADE: r"\bcolonnades?\b",
        Monument.Kind.CASTLE: r"\bcastles?\b|\bcitadels?\b|\bfortress(?:es)?\b|\bforts?\b",
        Monument.Kind.MOSQUE: r"\bmosques?\b",
        Monument.Kind.SHRINE: r"\bshrines?\b",
        Monument.Kind.MAUSOLEUM: r"\bmausole(?:um|ums|a)\b|\btombs?\b",
        Monument.Kind.STATUE: r"\bstatues?\b|\bsculptures?\b|\bstatuary\b|\bbusts?\b",
        Monument.Kind.PALACE: r"\bpalaces?\b",
        Monument.Kind.CITY_WALL: r"\bcity walls?\b|\bramparts?\b",
        Monument.Kind.CHURCH: r"\bchurch(?:es)?\b|\bcathedrals?\b|\bbasilicas?\b",
        Monument.Kind.MONASTERY: r"\bmonaster(?:y|ies)\b|\bconvents?\b|\blavra\b",
        Monument.Kind.NECROPOLIS: r"\bnecropol(?:is|es)\b|\bcemeter(?:y|ies)\b"
        r"|\bgraveyards?\b",
        Monument.Kind.SANCTUARY: r"\bsanctuar(?:y|ies)\b",
    }.items()
}

# The nouns monuments are called by ("the minaret", "the bridge"): a monument whose name has
# one of them at its head ("Malwiya Minaret", "Old Bridge", "Temple of Bel") may be called so.
HEAD_NOUNS = frozenset(
    "temple sanctuary arch tetrapylon colonnade theatre theater amphitheatre tomb tower "
    "necropolis museum statue lion castle citadel fortress fort mosque church cathedral shrine "
    "mausoleum monastery wall walls palace minaret bridge gate dome vault ziggurat library "
    "archive archives market souk souq bazaar hammam bath baths khan madrasa madrassa "
    "caravanserai synagogue basilica chapel lavra pyramid stupa pagoda hotel house villa hall "
    "square school college barracks fountain aqueduct cemetery tombs towers gates "
    "manuscripts collection agora forum stadium hippodrome cistern mill station centre center "
    "institute".split()
)
HEAD_NOUN_PATTERN = re.compile(
    r"\b(?:" + "|".join(sorted(HEAD_NOUNS, key=len, reverse=True)) + r")(?:e?s)?\b", re.I
)

# A site's words that name what a museum, a library or an archive holds: the one just named.
CONTENTS = re.compile(
    r"^(?:artefacts|artifacts|treasures|objects|collections?|exhibits|antiquities|manuscripts"
    r"|statues|sculptures|books)$",
    re.I,
)
CONTAINER_NOUNS = frozenset({"museum", "library", "archive", "archives", "vault", "collection"})
# Before a site's name, words that make it the modern town: "the residential part of Palmyra".
MODERN_PART = re.compile(
    # not "the eastern Ukrainian city of Kupiansk", which is the town itself
    r"\b(?:residential|modern|new|civilian|eastern|western|northern|southern)\s+"
    r"(?:(?!(?:city|town|village|port|capital)\b)\w+\s+){0,2}(?:of|in)\s+$"
    # "government-held districts of western Aleppo"
    r"|\b(?:districts?|neighbou?rhoods?|suburbs?|outskirts)\s+of\s+"
    r"(?:(?:eastern|western|northern|southern|rebel-held|government-held)\s+)?$",
    re.I,
)
# After a monument's name, words that make it who speaks, not a place damaged: "a British Museum
# report says", "the Louvre's director".
SOURCE_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:report|reports|statement|survey|study|official|officials|spokes\w+|"
    r"director|curator|keeper|staff|experts?|researchers?|team|website|said|says|told)\b",
    re.I,
)
# Explosives planted, not set off: "planted landmines and explosives around the ruins".
PLANTED = re.compile(
    r"\b(?:planted|planting|laid|laying|placed|rigged|clear|clearing|cleared|defus\w*|remov\w*)\b",
    re.I,
)
# Who bombed: militants set off bombs (explosives), armies and air forces drop them.
BOMBERS_ON_THE_GROUND = re.compile(
    r"\b(?:militants?|isis|isil|is|islamic state|daesh|insurgents?|terrorists?|jihadists?|"
    r"islamists?|extremists?|taliban|al-qaeda|al-shabab|gunmen|attackers|suicide|car|truck)\b",
    re.I,
)
BOMBERS_IN_THE_AIR = re.compile(
    r"\b(?:air|aircraft|jets?|warplanes?|planes?|aerial|helicopters?|drones?|forces|army|"
    r"military|troops|regime|government|coalition|nato)\b",
    re.I,
)
# Explosives used, not planted: "they used improvised explosive devices".
USED_EXPLOSIVES = re.compile(r"\b(?:used|using|with)\s+(?:\w+\s+){0,2}$", re.I)

# Words that name the place itself ("it", "the building"): the monument just named.
_PARTS = (
    r"dome|domes|minaret|minarets|roof|roofs|walls?|fa[cç]ade|columns|cella|courtyard|entrance|"
    r"interior|gates?|towers?|arch|stairs|staircase|foundations|windows|altar|frescoes|mosaics|"
    r"collection|collections|statues|relics|treasures|manuscripts|library|archives|exhibits|"
    r"artefacts|artifacts|structure|buildings?|remains|ruins|tombs|halls?|rooms|ceiling|vaults?|"
    r"portico|nave|iconostasis|icons|bell tower|belfry|spire|floors?|stones?"
)
# "The minaret … had been hit" just after the Great Mosque: a part of the monument just named.
PART_NOUN = re.compile(rf"(?:{_PARTS})", re.I)
ANAPHORA = re.compile(
    r"\bit\b|\bits\s+(?:\w+\s+)?(?=(?:" + _PARTS + r")\b)"
    r"|\bthe (?:building|structure|monument|edifice|site's (?:main )?building)\b"
    r"|\b(?:the (?:two|three|four)|both(?: the)?|these|those) (?:monuments|sites|structures|"
    r"buildings|landmarks|temples)\b|\bboth\b"
    r"|\b(?:all )?the (?:aforementioned|above[- ]?mentioned) (?:sites|monuments|places|"
    r"buildings|locations|landmarks)\b",
    re.I,
)
# An anaphora that means every monument the article has reported damage to so far, not only
# the last ones named.
ALL_NAMED_SO_FAR = re.compile(r"\b(?:aforementioned|above[- ]?mentioned)\b", re.I)
# Words of demolition, levelling or shattering that, beside explosives, shelling, a bulldozer or
# fire, say the effect, not the means: "detonated the explosives and demolished the two
# monuments", "levelled with explosives", "a bombing that shattered its dome".
EFFECT_WORDS = re.compile(
    r"^(?:demolish\w*|demolition\w*|razed?|razing|torn down|tore down|tear(?:ing)? down|"
    r"knocked down|pulled down|levell?(?:ed|ing)|shatter\w*)$",
    re.I,
)
# Between damage said without means and the means that did it: "destroyed by a missile",
# "damaged in an air strike"; or between the means and the damage: "shelling destroyed".
MEANS_LINK_AFTER = re.compile(
    r"^\s*(?:,\s*(?:possibly|probably|likely|apparently|presumably|reportedly)\s+)?"
    r"(?:\w+\s+){0,3}?(?:by|with|in|from|after|during|because of|due to|amid|under)\s+"
    r"(?:\w+\s+){0,4}?$",
    re.I,
)
MEANS_LINK_BEFORE = re.compile(
    r"^\s*(?:(?:on|in|at|against|across|near|of)\s+(?:[\w-]+\s+){0,3}?|(?:\w+\s+){0,2}?)"
    r"(?:has |have |had |that )?(?:also |reportedly |allegedly )?$",
    re.I,
)
# Titles of articles whose news is a repair, not damage: the damage they mention is history.
REPAIR_NEWS = re.compile(
    r"\brebuil\w*|\brestor\w*|\breopen\w*|\bre-open\w*|\binaugurat\w*|\breconstruct\w*"
    r"|\brenovat\w*|\brepair\w*|\brepatriat\w*|\breturn(?:s|ed)?\b|\bunveil\w*"
    r"|\brise again\b|\breturn to\b|\bhanded back\b|\brecovered\b",
    re.I,
)

# ... unless the repair is still wanted: "Race to repair Malian heritage site before rainy season".
REPAIR_WANTED = re.compile(
    r"\b(?:race|rush|need|needs|bid|struggle|struggles|fight|scramble|appeal|calls?|urged?"
    r"|offers?|offered|(?:offers?|offered|pledges?|pledged) (?:\w+[’']s )?(?:help|aid|assistance))"
    r"\s+to\s+(?:repair|restore|rebuild|save|protect)",
    re.I,
)

# Words that point at the site as a whole when a sentence names no monument.
SITE_WORDS = re.compile(
    r"\bruins\b|\bancient (?:sites?|city|town)\b|\barch(?:a)?eological (?:sites?|park|area)\b"
    r"|\bheritage (?:site|property)\b|\bmonuments\b|\bsite's\b"
    r"|\b(?:the|this|that)\s+(?:[\w-]+\s+){0,2}?site\b"
    r"|\bold (?:city|town|quarter)\b|\bhistoric (?:centre|center|city|quarter|district)\b"
    r"|\bremains\b|\bartefacts\b|\bartifacts\b|\btombs\b|\bmedina\b"
    r"|\bsouks?\b|\bmarkets?\b|\bhistoric buildings\b|\bancient buildings\b"
    r"|\btreasures\b|\bcollections?\b|\bexhibits\b",
    re.I,
)

# Prefixes that UNESCO names carry and news reports leave out: "Site of Palmyra" -> "Palmyra".
SITE_NAME_PREFIXES = re.compile(
    r"^(?:the )?(?:site of|ancient city of|old city of|archaeological site of|"
    r"historic centre of|historic center of|ancient|old town of|city of|old city|"
    r"historic city of|archaeological ruins of|ruins of|historic town of|ancient town of|"
    r"medieval town of|town of)\s+",
    re.I,
)

# A site named as where a government sits, not as a place damaged: "officials in Damascus".
SEAT_OF_POWER = re.compile(
    r"(?:government|governments|regime|authorities|officials?|ministry|capital|based|"
    r"headquartered|headquarters|spokesman|spokeswoman|director|chief|head|dgam|politicians|leaders|"
    r"lawmakers|diplomats|ministers?|embassy|parliament)\s+(?:\w+\s+){0,2}(?:in|of|from)\s+"
    # "politicians in Pristina and Belgrade": every name of the list
    r"(?:(?-i:[A-Z])[\w'’-]*\s+(?:(?-i:[A-Z])[\w'’-]*\s+){0,2}(?:and|or)\s+)?$"
    # ... or as a point to measure from: "60 miles north of Baghdad", "outside Aleppo"
    r"|\b(?:north|south|east|west|northeast|northwest|southeast|southwest|northern|southern|"
    r"eastern|western)(?:-\w+)?\s+of\s+(?:the\s+|[\w'’-]+\s+){0,3}$"
    r"|\b(?:miles|km|kilometres|kilometers)\s+(?:from|of)\s+$"
    # "Iraq's capital Baghdad", "reached by phone in Damascus"
    r"|\bcapital,?\s+$|\bphone\s+(?:in|from)\s+$",
    re.I,
)
