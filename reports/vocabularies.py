"""The controlled vocabularies of a damage report, from shared/docs/domain.md.

Each of our terms maps to its EAMENA (and, for extent, UNOSAT) equivalent, so that exports
can speak the field's own language.
"""

from django.db import models


class DamageType(models.TextChoices):
    EXPLOSIVES = "explosives", "Deliberate demolition with explosives"
    HEAVY_WEAPONS = "heavy_weapons", "Shelling, air strikes, heavy weapons"
    GUNFIRE = "gunfire", "Gunfire, light weapons"
    DEMOLITION = "demolition", "Demolition by hand or machinery"
    BULLDOZING = "bulldozing", "Bulldozing, levelling"
    SMASHING = "smashing", "Smashing, defacing (statues, reliefs)"
    MINES = "mines", "Mines or explosive devices planted"
    LOOTING = "looting", "Looting, illegal excavation"
    THEFT = "theft", "Theft or removal of objects"
    FIRE = "fire", "Fire, burning"
    VANDALISM = "vandalism", "Vandalism, graffiti"
    MILITARY_USE = "military_use", "Military occupation or use"
    MISUSE = "misuse", "Misuse, e.g. a venue for public executions"
    CONSTRUCTION = "construction", "Construction, development, roads"
    NATURAL = "natural", "Natural causes, weathering"
    NEGLECT = "neglect", "Lack of maintenance"
    UNKNOWN = "unknown", "Unknown"


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
    NONE = "none", "No visible damage"
    MINOR = "minor", "Minor damage"
    MODERATE = "moderate", "Moderate damage"
    SEVERE = "severe", "Severe damage"
    DESTROYED = "destroyed", "Destroyed"
    UNKNOWN = "unknown", "Unknown / not visible"


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

    DEFINITE = "definite", "Definite"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NEGLIGIBLE = "negligible", "Negligible"


class AssessmentBasis(models.TextChoices):
    NEWS_REPORT = "news_report", "News report"
    FIELD_VISIT = "field_visit", "Field visit"
    SATELLITE_IMAGERY = "satellite_imagery", "Satellite imagery"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    OTHER = "other", "Other"


class DatePrecision(models.TextChoices):
    """How much of a date is known: "30 Aug 2015", "May 2015" or "2015"."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    RETRACTED = "retracted", "Retracted"
