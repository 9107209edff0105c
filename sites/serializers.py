"""The OpenAPI description of sites and monuments as the public API shows them. The shapes
themselves are made by sites/representations.py; these serializers only document them (and
hand over to those functions). tests/heritage/test_api_schema.py checks every demo record
against the document."""

from rest_framework import serializers

from heritage.api.schema import ApiLinkField, ShapeSerializer, made_by
from sites.models import HeritageSite, Monument
from sites.representations import (
    monument_link_of,
    monument_representation,
    site_link_of,
    site_representation,
)


class PublicCoordinatesMixin(serializers.Serializer):
    latitude = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Decimal degrees north (WGS 84); rounded to 0.1° when "
        "`coordinates_coarsened`. Null when unknown.",
    )
    longitude = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Decimal degrees east (WGS 84); rounded to 0.1° when "
        "`coordinates_coarsened`. Null when unknown.",
    )
    coordinates_coarsened = serializers.BooleanField(
        read_only=True,
        help_text="True when the location is sensitive and coordinates are deliberately "
        "approximate.",
    )


class NameSerializer(serializers.Serializer):
    """A name in a language."""

    name = serializers.CharField(read_only=True, help_text="The name, as written in it.")
    language = serializers.CharField(
        read_only=True,
        help_text='BCP 47 language code ("ar", "en", "fr"…); empty when unknown.',
    )


def other_names_field(of: str) -> NameSerializer:
    return NameSerializer(
        many=True,
        read_only=True,
        help_text=f"Other names the {of} goes by, each with its language (pages in that "
        "language show the first one in it).",
    )


class SiteLinkSerializer(ShapeSerializer, serializers.ModelSerializer):
    """A site as other resources refer to it."""

    represent = made_by(site_link_of)
    url = ApiLinkField()

    class Meta:
        model = HeritageSite
        fields = ["url", "slug", "name", "unesco_id"]


class MonumentLinkSerializer(ShapeSerializer, serializers.ModelSerializer):
    """A monument as other resources refer to it."""

    represent = made_by(monument_link_of)
    url = ApiLinkField()
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


class SiteSerializer(ShapeSerializer, PublicCoordinatesMixin, serializers.ModelSerializer):
    url = ApiLinkField()
    key = serializers.CharField(read_only=True, help_text="Same as `slug`.")
    countries = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="ISO 3166-1 alpha-2 codes of the States Parties.",
    )
    in_danger = serializers.BooleanField(
        read_only=True,
        help_text="Whether the site is on the List of World Heritage in Danger.",
    )
    unesco_url = serializers.CharField(
        read_only=True, help_text="The site's page on the World Heritage List, if listed."
    )
    monument_count = serializers.IntegerField(
        read_only=True, help_text="Number of monuments recorded in the site."
    )
    other_names = other_names_field("site")

    class Meta:
        model = HeritageSite
        fields = [
            "url",
            "key",
            "slug",
            "name",
            "other_names",
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

    represent = made_by(site_representation)


class MonumentSerializer(ShapeSerializer, PublicCoordinatesMixin, serializers.ModelSerializer):
    represent = made_by(monument_representation)
    url = ApiLinkField()
    key = serializers.CharField(
        read_only=True, help_text="The monument's address: site slug / monument slug."
    )
    site = SiteLinkSerializer(read_only=True, help_text="The site the monument belongs to.")
    alternative_names = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Other names the monument goes by (the names of `other_names`, "
        "without their language).",
    )
    other_names = other_names_field("monument")

    class Meta:
        model = Monument
        fields = [
            "url",
            "key",
            "slug",
            "name",
            "alternative_names",
            "other_names",
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
