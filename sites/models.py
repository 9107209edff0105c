"""Heritage sites (World Heritage properties or not) and the monuments inside them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

# The World Heritage Convention was adopted in 1972; the first properties were inscribed in 1978.
FIRST_INSCRIPTION_YEAR = 1978
LAST_PLAUSIBLE_YEAR = 2100

criteria_validator = RegexValidator(
    r"^(\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\))+$",
    "Write the criteria as UNESCO does, in Roman numerals in brackets, e.g. (i)(ii)(iv).",
)
wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata id is a Q followed by digits, e.g. Q5859."
)
# BCP 47 language tags, as far as names and articles need them: "ar", "en", "fr-CA".
language_validator = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    'Use a language code such as "en", "ar" or "fr-CA".',
)
LANGUAGE_MAX_LENGTH = 16

# Public coordinates of sensitive sites are rounded to this step (0.1° is about 11 km).
COARSE_STEP = Decimal("0.1")

year_validators = [
    MinValueValidator(FIRST_INSCRIPTION_YEAR),
    MaxValueValidator(LAST_PLAUSIBLE_YEAR),
]


class Located(models.Model):
    """Optional WGS 84 coordinates, both or neither, in range: checked by forms and database."""

    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Decimal degrees north (negative for south), WGS 84, e.g. 34.554167.",
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="Decimal degrees east (negative for west), WGS 84, e.g. 38.266667.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="%(app_label)s_%(class)s_latitude_in_range",
                violation_error_message="Latitude must be between -90 and 90 degrees.",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="%(app_label)s_%(class)s_longitude_in_range",
                violation_error_message="Longitude must be between -180 and 180 degrees.",
            ),
            # Half a coordinate pair would put a point on the equator or the prime meridian.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="%(app_label)s_%(class)s_coordinates_both_or_neither",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
        ]

    # "Both or neither" is said by the constraint above when the form validates it, once, and
    # not at all when a coordinate was refused for a reason of its own.

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def location_is_coarsened(self) -> bool:
        """Whether public outputs show this place only approximately."""
        raise NotImplementedError

    def public_coordinates(self) -> tuple[float, float] | None:
        """(latitude, longitude) as the public may see them: rounded to 0.1° for a sensitive
        site and its monuments. The one place every public output takes coordinates from."""
        return public_point(self.latitude, self.longitude, coarsened=self.location_is_coarsened)


def public_point(latitude: Any, longitude: Any, *, coarsened: bool) -> tuple[float, float] | None:
    """(latitude, longitude) as the public may see them, from a place's columns: None unless
    both are known, rounded to 0.1° where `coarsened` (Located.public_coordinates)."""
    if latitude is None or longitude is None:
        return None
    latitude, longitude = Decimal(latitude), Decimal(longitude)
    if coarsened:
        latitude = latitude.quantize(COARSE_STEP, rounding=ROUND_HALF_UP)
        longitude = longitude.quantize(COARSE_STEP, rounding=ROUND_HALF_UP)
    return float(latitude), float(longitude)


class HeritageSiteQuerySet(models.QuerySet["HeritageSite"]):
    def with_monument_count(self) -> HeritageSiteQuerySet:
        """Annotate `monument_count` (a subquery, so it combines with other aggregates)."""
        counts = (
            Monument.objects.filter(site=OuterRef("pk"))
            .order_by()
            .values("site")
            .annotate(total=Count("*"))
            .values("total")
        )
        return self.annotate(monument_count=Coalesce(Subquery(counts), 0))


class HeritageSite(Located):
    """A heritage site: a UNESCO World Heritage property, or a place that is not on the List."""

    class Category(models.TextChoices):
        CULTURAL = "cultural", _("Cultural")
        NATURAL = "natural", _("Natural")
        MIXED = "mixed", _("Mixed")

    class Region(models.TextChoices):
        AFRICA = "africa", _("Africa")
        ARAB_STATES = "arab_states", _("Arab States")
        ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
        EUROPE_NORTH_AMERICA = "europe_north_america", _("Europe and North America")
        LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean", _("Latin America and the Caribbean")

    name = models.CharField(max_length=255, help_text="The name as UNESCO lists it.")
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Short name used in addresses, e.g. palmyra."
    )
    unesco_id = models.PositiveIntegerField(
        "UNESCO id",
        null=True,
        blank=True,
        unique=True,
        help_text="The World Heritage List property number (whc.unesco.org/en/list/<id>). "
        "Leave empty for a site that is not on the List.",
    )
    countries = CountryField(
        multiple=True,
        blank=True,
        help_text="Every State Party; several for a transboundary site.",
    )
    region = models.CharField(max_length=32, choices=Region.choices, blank=True)
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.CULTURAL)
    criteria = models.CharField(
        max_length=64,
        blank=True,
        validators=[criteria_validator],
        help_text="Selection criteria, e.g. (i)(ii)(iv).",
    )
    year_inscribed = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=year_validators
    )
    in_danger_since = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=year_validators,
        help_text="Year the site was put on the List of World Heritage in Danger; "
        "empty when it is not on that list.",
    )
    description = models.TextField(blank=True, help_text="The curators' own description.")
    unesco_description = models.TextField(
        "UNESCO description",
        blank=True,
        editable=False,
        help_text="The World Heritage List's short description, as plain text; updated by "
        "import_whc, which never touches the curators' own description.",
    )
    location_is_sensitive = models.BooleanField(
        default=False,
        help_text="Tick when exact coordinates could help looters or attackers: "
        "public outputs then show only coarse coordinates for the site and its monuments.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HeritageSiteQuerySet.as_manager()
    history = HistoricalRecords()

    # Annotations, never columns: HeritageSiteQuerySet.with_monument_count, the admin's list.
    monument_count: int
    monument_total: int

    class Meta(Located.Meta):
        ordering = ["name"]
        constraints = [
            *Located.Meta.constraints,
            models.CheckConstraint(
                condition=Q(in_danger_since__isnull=True)
                | Q(year_inscribed__isnull=True)
                | Q(in_danger_since__gte=models.F("year_inscribed")),
                name="sites_heritagesite_danger_after_inscription",
                violation_error_message="A site cannot be in danger before it was inscribed.",
            ),
        ]
        indexes = [
            # The admin list and the API sort and search sites by name.
            models.Index(fields=["name"], name="site_name_idx"),
            # "Sites in danger" filter.
            models.Index(fields=["in_danger_since"], name="site_in_danger_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            self.in_danger_since is not None
            and self.year_inscribed is not None
            and self.in_danger_since < self.year_inscribed
        ):
            raise ValidationError(
                {"in_danger_since": "A site cannot be in danger before it was inscribed."}
            )

    @property
    def is_in_danger(self) -> bool:
        return self.in_danger_since is not None

    @property
    def location_is_coarsened(self) -> bool:
        return self.location_is_sensitive

    @property
    def unesco_url(self) -> str:
        return f"https://whc.unesco.org/en/list/{self.unesco_id}/" if self.unesco_id else ""


def monument_key(site_slug: str, monument_slug: str) -> str:
    """A monument's public address: site slug / monument slug ("palmyra/temple-of-bel")."""
    return f"{site_slug}/{monument_slug}"


class MonumentQuerySet(models.QuerySet["Monument"]):
    def with_key(self, key: str) -> MonumentQuerySet:
        """The monument (none or one) whose key (monument_key) is `key`."""
        site_slug, _, slug = key.partition("/")
        return self.filter(site__slug=site_slug, slug=slug)

    def matching_name(self, text: str) -> MonumentQuerySet:
        """Monuments whose name or any alternative name contains `text` (case-insensitive)."""
        return self.filter(
            Q(name__icontains=text) | Q(alternative_names__name__icontains=text)
        ).distinct()


class Monument(Located):
    """A building, structure or object inside a site: a temple, an arch, a tower tomb…"""

    class Kind(models.TextChoices):
        TEMPLE = "temple", _("Temple")
        SANCTUARY = "sanctuary", _("Sanctuary")
        ARCH = "arch", _("Arch")
        TETRAPYLON = "tetrapylon", _("Tetrapylon")
        COLONNADE = "colonnade", _("Colonnade")
        THEATRE = "theatre", _("Theatre")
        TOWER_TOMB = "tower_tomb", _("Tower tomb")
        FUNERARY_TEMPLE = "funerary_temple", _("Funerary temple")
        NECROPOLIS = "necropolis", _("Necropolis")
        MUSEUM = "museum", _("Museum")
        STATUE = "statue", _("Statue")
        CASTLE = "castle", _("Castle")
        MOSQUE = "mosque", _("Mosque")
        CHURCH = "church", _("Church")
        SHRINE = "shrine", _("Shrine")
        MAUSOLEUM = "mausoleum", _("Mausoleum")
        MONASTERY = "monastery", _("Monastery")
        CITY_WALL = "city_wall", _("City wall")
        PALACE = "palace", _("Palace")
        OTHER = "other", _("Other")

    site = models.ForeignKey(HeritageSite, on_delete=models.PROTECT, related_name="monuments")
    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=100, help_text="Unique within its site.")
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    period = models.CharField(
        "period or date built",
        max_length=255,
        blank=True,
        help_text='Free text, e.g. "consecrated AD 32" or "2nd century AD".',
    )
    description = models.TextField(blank=True)
    current_location = models.CharField(
        max_length=255,
        blank=True,
        help_text="For a movable object (a statue, a museum piece) that is now somewhere else, "
        'e.g. "National Museum, Damascus". Leave empty when it is in place.',
    )
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_id_validator]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MonumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Located.Meta):
        ordering = ["site__name", "name"]
        constraints = [
            *Located.Meta.constraints,
            # Monument addresses are site slug + monument slug.
            models.UniqueConstraint(
                fields=["site", "slug"],
                name="sites_monument_unique_slug_per_site",
                violation_error_message="This site already has a monument with this slug.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="sites_monument_wikidata_id_format",
                violation_error_message="A Wikidata id is a Q followed by digits, e.g. Q5859.",
            ),
        ]
        indexes = [
            # Admin and API filter monuments by kind.
            models.Index(fields=["kind"], name="monument_kind_idx"),
            # Name search and ordering.
            models.Index(fields=["name"], name="monument_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site.name})" if self.site_id else self.name

    @property
    def key(self) -> str:
        """The monument's public address (monument_key)."""
        return monument_key(self.site.slug, self.slug)

    @property
    def location_is_coarsened(self) -> bool:
        return self.site.location_is_sensitive


class NamedInLanguage(models.Model):
    """Another name of a place, in a language: a translation, a transliteration, a press
    habit. Pages in that language show the first such name before the usual one."""

    name = models.CharField(max_length=255)
    language = models.CharField(
        max_length=LANGUAGE_MAX_LENGTH,
        blank=True,
        validators=[language_validator],
        help_text='The name\'s language (BCP 47: "ar", "en", "fr"…); empty when unknown or '
        "when the name is the same in many languages.",
    )

    class Meta:
        abstract = True


class AlternativeName(NamedInLanguage):
    """Another name a monument goes by."""

    monument = models.ForeignKey(
        Monument, on_delete=models.CASCADE, related_name="alternative_names"
    )
    history = HistoricalRecords()

    # Set by the pre_save signal (reports.signals), never a column: the monuments whose
    # names this save changes.
    _renamed_monuments: set[int]

    class Meta:
        ordering = ["monument", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["monument", "name"],
                name="sites_alternativename_unique_per_monument",
                violation_error_message="This monument already has this alternative name.",
            ),
        ]
        indexes = [
            # Admin search and article matching look names up.
            models.Index(fields=["name"], name="alternativename_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class SiteName(NamedInLanguage):
    """Another name a site goes by ("تدمر" for Palmyra)."""

    site = models.ForeignKey(HeritageSite, on_delete=models.CASCADE, related_name="other_names")
    history = HistoricalRecords()

    class Meta:
        ordering = ["site", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name"],
                name="sites_sitename_unique_per_site",
                violation_error_message="This site already has this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def name_in(language: str, usual: str, names: Iterable[NamedInLanguage]) -> str:
    """What a page in `language` calls a place: its usual name in the default language (the
    names are UNESCO's English ones; `names` is then not even read), else its first other
    name in that language (an "ar-SY" name for "ar" too), else its usual name."""
    if language.split("-")[0] == settings.LANGUAGE_CODE.split("-")[0]:
        return usual
    for other in names:
        if other.language == language or other.language.startswith(f"{language}-"):
            return other.name
    return usual
