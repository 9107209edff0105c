"""Public representations of sites and monuments. Coordinates always come from
`public_coordinates()`, so a sensitive site is never shown more exactly than 0.1°."""

import datetime

from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from heritage.api.dates import iso_datetime
from heritage.api.links import ApiLinkField, api_link
from sites.models import HeritageSite, Monument


class PublicCoordinatesMixin(serializers.Serializer):
    latitude = serializers.SerializerMethodField(
        help_text="Decimal degrees north (WGS 84); rounded to 0.1° when "
        "`coordinates_coarsened`. Null when unknown."
    )
    longitude = serializers.SerializerMethodField(
        help_text="Decimal degrees east (WGS 84); rounded to 0.1° when "
        "`coordinates_coarsened`. Null when unknown."
    )
    coordinates_coarsened = serializers.BooleanField(
        source="location_is_coarsened",
        read_only=True,
        help_text="True when the location is sensitive and coordinates are deliberately "
        "approximate.",
    )

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_latitude(self, place: HeritageSite | Monument) -> float | None:
        point = place.public_coordinates()
        return point[0] if point else None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_longitude(self, place: HeritageSite | Monument) -> float | None:
        point = place.public_coordinates()
        return point[1] if point else None


class SiteLinkSerializer(serializers.ModelSerializer):
    """A site as other resources refer to it."""

    url = ApiLinkField("api:site-detail", "slug")

    class Meta:
        model = HeritageSite
        fields = ["url", "slug", "name", "unesco_id"]


class MonumentLinkSerializer(serializers.ModelSerializer):
    """A monument as other resources refer to it."""

    url = ApiLinkField("api:monument-detail", "key")
    key = serializers.CharField(
        read_only=True, help_text="The monument's address: site slug / monument slug."
    )

    class Meta:
        model = Monument
        fields = ["url", "key", "slug", "name", "kind"]
        extra_kwargs = {
            "name": {"help_text": "The monument's usual name."},
            "kind": {"help_text": "What sort of monument it is."},
        }


class SiteSerializer(PublicCoordinatesMixin, serializers.ModelSerializer):
    url = ApiLinkField("api:site-detail", "slug")
    key = serializers.CharField(source="slug", read_only=True, help_text="Same as `slug`.")
    countries = serializers.SerializerMethodField(
        help_text="ISO 3166-1 alpha-2 codes of the States Parties."
    )
    in_danger = serializers.BooleanField(
        source="is_in_danger",
        read_only=True,
        help_text="Whether the site is on the List of World Heritage in Danger.",
    )
    unesco_url = serializers.CharField(
        read_only=True, help_text="The site's page on the World Heritage List, if listed."
    )
    monument_count = serializers.IntegerField(
        read_only=True, help_text="Number of monuments recorded in the site."
    )

    class Meta:
        model = HeritageSite
        fields = [
            "url",
            "key",
            "slug",
            "name",
            "unesco_id",
            "unesco_url",
            "countries",
            "region",
            "category",
            "criteria",
            "year_inscribed",
            "in_danger",
            "in_danger_since",
            "latitude",
            "longitude",
            "coordinates_coarsened",
            "description",
            "monument_count",
            "updated_at",
        ]
        extra_kwargs = {
            "name": {"help_text": "The name as UNESCO lists it."},
            "updated_at": {"help_text": "When the site's record last changed."},
            "description": {"help_text": "About the site."},
            "region": {"help_text": "UNESCO region."},
            "category": {"help_text": "UNESCO category."},
            "year_inscribed": {"help_text": "Year the site was inscribed on the List."},
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_countries(self, site: HeritageSite) -> list[str]:
        return [country.code for country in site.countries]

    @cached_property
    def time_zone(self) -> datetime.tzinfo:
        return timezone.get_current_timezone()

    def to_representation(self, site: HeritageSite) -> dict:
        """What the fields above give, written out: DRF's generic path took 0.15 ms a site
        (a map of 500 sites: 75 ms). tests/sites/test_api.py checks both give the same."""
        point = site.public_coordinates()
        return {
            "url": api_link(self.context["request"], "api:site-detail", site.slug),
            "key": site.slug,
            "slug": site.slug,
            "name": site.name,
            "unesco_id": site.unesco_id,
            "unesco_url": site.unesco_url,
            "countries": self.get_countries(site),
            "region": site.region,
            "category": site.category,
            "criteria": site.criteria,
            "year_inscribed": site.year_inscribed,
            "in_danger": site.is_in_danger,
            "in_danger_since": site.in_danger_since,
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
            "coordinates_coarsened": site.location_is_coarsened,
            "description": site.description,
            "monument_count": site.monument_count,
            "updated_at": iso_datetime(site.updated_at, self.time_zone),
        }


class MonumentSerializer(PublicCoordinatesMixin, serializers.ModelSerializer):
    url = ApiLinkField("api:monument-detail", "key")
    key = serializers.CharField(
        read_only=True, help_text="The monument's address: site slug / monument slug."
    )
    site = SiteLinkSerializer(read_only=True, help_text="The site the monument belongs to.")
    alternative_names = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="name",
        help_text="Other names the monument goes by.",
    )

    class Meta:
        model = Monument
        fields = [
            "url",
            "key",
            "slug",
            "name",
            "alternative_names",
            "kind",
            "site",
            "period",
            "description",
            "current_location",
            "wikidata_id",
            "latitude",
            "longitude",
            "coordinates_coarsened",
            "updated_at",
        ]
        extra_kwargs = {
            "name": {"help_text": "The monument's usual name."},
            "kind": {"help_text": "What sort of monument it is."},
            "wikidata_id": {"help_text": "The monument's Wikidata item, e.g. Q5859."},
            "description": {"help_text": "About the monument."},
            "updated_at": {"help_text": "When the monument's record last changed."},
        }
