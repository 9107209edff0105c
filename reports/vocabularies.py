"""The controlled vocabularies of a damage report, from shared/docs/domain.md.

Each of our terms maps to its EAMENA (and, for extent, UNOSAT) equivalent, so that exports
can speak the field's own language.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DamageType(models.TextChoices):
    EXPLOSIVES = "explosives", _("Deliberate demolition with explosives")
    HEAVY_WEAPONS = "heavy_weapons", _("Shelling, air strikes, heavy weapons")
    GUNFIRE = "gunfire", _("Gunfire, light weapons")
    DEMOLITION = "demolition", _("Demolition by hand or machinery")
    BULLDOZING = "bulldozing", _("Bulldozing, levelling")
    SMASHING = "smashing", _("Smashing, defacing (statues, reliefs)")
    MINES = "mines", _("Mines or explosive devices planted")
    LOOTING = "looting", _("Looting, illegal excavation")
    THEFT = "theft", _("Theft or removal of objects")
    FIRE = "fire", _("Fire, burning")
    VANDALISM = "vandalism", _("Vandalism, graffiti")
    MILITARY_USE = "military_use", _("Military occupation or use")
    MISUSE = "misuse", _("Misuse, e.g. a venue for public executions")
    CONSTRUCTION = "construction", _("Construction, development, roads")
    NATURAL = "natural", _("Natural causes, weathering")
    NEGLECT = "neglect", _("Lack of maintenance")
    UNKNOWN = "unknown", _("Unknown")


EAMENA_DISTURBANCE_CAUSE: dict[str, str] = {
    DamageType.EXPLOSIVES: "Explosion/Heavy Weaponry",
    DamageType.HEAVY_WEAPONS: "Explosion/Heavy Weaponry",
    DamageType.GUNFIRE: "Gunfire/Light Weaponry",
    DamageType.DEMOLITION: "Demolition/Destruction",
    DamageType.BULLDOZING: "Clearance (Bulldozing/Levelling)",
    DamageType.SMASHING: "Breaking/Smashing",
    DamageType.MINES: "Landmines",
    DamageType.LOOTING: "Excavation (Hand) / Looting",
    DamageType.THEFT: "Theft/Unauthorised Removal of Objects",
    DamageType.FIRE: "Fire",
    DamageType.VANDALISM: "Graffiti / Vandalism",
    DamageType.MILITARY_USE: "Occupation/Continued Use",
    DamageType.MISUSE: "Social/Cultural Uses of Heritage",
    DamageType.CONSTRUCTION: "Construction / Road/Track",
    DamageType.NATURAL: "Water and/or Wind Action / Seismic Activity",
    DamageType.NEGLECT: "Lack of Maintenance/Management",
    DamageType.UNKNOWN: "Unknown",
}


class Extent(models.TextChoices):
    NONE = "none", _("No visible damage")
    MINOR = "minor", _("Minor damage")
    MODERATE = "moderate", _("Moderate damage")
    SEVERE = "severe", _("Severe damage")
    DESTROYED = "destroyed", _("Destroyed")
    UNKNOWN = "unknown", _("Unknown / not visible")


EAMENA_DAMAGE_SEVERITY: dict[str, str] = {
    Extent.NONE: "Intact/No Damage",
    Extent.MINOR: "Slight Damage",
    Extent.MODERATE: "Moderate Damage",
    Extent.SEVERE: "Severe Damage",
    Extent.DESTROYED: "Destroyed",
    Extent.UNKNOWN: "No Visible/Accessible/Known",
}
UNOSAT_DAMAGE_CLASS: dict[str, str] = {
    Extent.MODERATE: "Moderate Damage",
    Extent.SEVERE: "Severe Damage",
    Extent.DESTROYED: "Destroyed",
}
EAMENA_CONDITION = {
    Extent.NONE: "Good",
    Extent.MINOR: "Fair",
    Extent.MODERATE: "Poor",
    Extent.SEVERE: "Very Bad",
    Extent.DESTROYED: "Destroyed",
    Extent.UNKNOWN: "Unknown",
}


class Certainty(models.TextChoices):
    """EAMENA certainty. UNOSAT 'Possible Damage' is recorded as certainty low."""

    DEFINITE = "definite", _("Definite")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    NEGLIGIBLE = "negligible", _("Negligible")


class AssessmentBasis(models.TextChoices):
    NEWS_REPORT = "news_report", _("News report")
    FIELD_VISIT = "field_visit", _("Field visit")
    SATELLITE_IMAGERY = "satellite_imagery", _("Satellite imagery")
    OFFICIAL_STATEMENT = "official_statement", _("Official statement")
    OTHER = "other", _("Other")


class DatePrecision(models.TextChoices):
    """How much of a date is known: "30 Aug 2015", "May 2015" or "2015"."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Stance(models.TextChoices):
    """What a cited passage does to the report's claim."""

    SUPPORTS = "supports", _("Supports")
    DISPUTES = "disputes", _("Disputes")
    CONTEXT = "context", _("Context")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    RETRACTED = "retracted", _("Retracted")


# Getty Art & Architecture Thesaurus concepts (http://vocab.getty.edu/aat/<id>) for our terms,
# for linked data (reports.linked_data). Each id was checked against the Getty's own id-label
# list (thegetty/pipeline data/knoedler/aat_labels.json) or Linked Art's vocabulary pages; the
# AAT label is in the comment. None where the AAT has no concept for it (gunfire, bulldozing,
# misuse, neglect are actions it lists only as tools or not at all) or where two concepts share
# the label and the right one could not be told (construction): our own term stands alone.
AAT_DAMAGE_TYPE: dict[str, str | None] = {
    DamageType.EXPLOSIVES: "300262469",  # explosions
    DamageType.HEAVY_WEAPONS: "300410273",  # bombing
    DamageType.GUNFIRE: None,
    DamageType.DEMOLITION: "300053085",  # demolition
    DamageType.BULLDOZING: None,
    DamageType.SMASHING: "300053083",  # breaking
    DamageType.MINES: "300204047",  # land mines
    DamageType.LOOTING: "300379554",  # looting
    DamageType.THEFT: "300055292",  # theft (social issue)
    DamageType.FIRE: "300068986",  # fires
    DamageType.VANDALISM: "300055299",  # vandalism
    DamageType.MILITARY_USE: None,
    DamageType.MISUSE: None,
    DamageType.CONSTRUCTION: None,
    DamageType.NATURAL: "300054115",  # weathering
    DamageType.NEGLECT: None,
    DamageType.UNKNOWN: None,
}
AAT_DESTRUCTION = "300053087"  # destruction: a report of a monument destroyed

# Keyed by sites.models.Monument.Kind values.
AAT_MONUMENT_KIND: dict[str, str] = {
    "temple": "300007595",  # temples
    "sanctuary": "300004575",  # sanctuaries
    "arch": "300007003",  # triumphal arches
    "tetrapylon": "300005095",  # quadrifrons (the AAT has no "tetrapylon": the nearest)
    "colonnade": "300002613",  # colonnades
    "theatre": "300007117",  # theaters (buildings)
    "tower_tomb": "300120649",  # tower-tombs
    "funerary_temple": "300007613",  # mortuary temples
    "necropolis": "300000372",  # necropolises
    "museum": "300005768",  # museums (buildings)
    "statue": "300047600",  # statues
    "castle": "300006891",  # castles (fortifications)
    "mosque": "300007544",  # mosques
    "church": "300007466",  # churches (buildings)
    "shrine": "300007558",  # shrines
    "mausoleum": "300005891",  # mausoleums
    "monastery": "300000641",  # monasteries (built complexes)
    "city_wall": "300005072",  # city walls
    "palace": "300005734",  # palaces (official residences)
    "other": "300265418",  # built works
}
AAT_WORLD_HERITAGE_SITE = "300263063"  # World Heritage Sites
AAT_PRIMARY_NAME = "300404670"  # preferred terms (Linked Art's "Primary Name")
AAT_DESCRIPTION = "300435416"  # Linked Art's "Description"
