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


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    RETRACTED = "retracted", _("Retracted")
