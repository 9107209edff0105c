"""Filters of the public API over sites and monuments (also used by reports, through the
site a report belongs to)."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Round
from django.utils.translation import gettext as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field

from heritage.api.filtering import StrictBooleanFilter
from sites.models import HeritageSite, Monument


class CountryCodeField(forms.CharField):
    def clean(self, value: Any) -> str:
        code = super().clean(value).strip().upper()
        if code and code not in countries:
            raise forms.ValidationError(_("Not an ISO 3166-1 alpha-2 country code (e.g. SY)."))
        return code


@extend_schema_field(
    {
        "type": "string",
        "enum": sorted(code for code, _ in countries),
        "description": "ISO 3166-1 alpha-2 code of a country of the site, e.g. SY.",
    }
)
class CountryFilter(django_filters.Filter):
    """One country, by ISO code. Countries are stored as comma-separated two-letter codes, so a
    code can only match itself."""

    field_class = CountryCodeField

    def filter(self, queryset: QuerySet, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(**{f"{self.field_name}__contains": value})


class BBoxField(forms.CharField):
    def clean(self, value: Any) -> tuple[float, float, float, float] | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            min_lon, min_lat, max_lon, max_lat = (float(part) for part in text.split(","))
        except ValueError:
            raise forms.ValidationError(
                _("Give four numbers: min_lon,min_lat,max_lon,max_lat (e.g. 38.2,34.5,38.3,34.6).")
            ) from None
        if not all(-180 <= lon <= 180 for lon in (min_lon, max_lon)):
            raise forms.ValidationError(_("Longitudes must be between -180 and 180."))
        if not all(-90 <= lat <= 90 for lat in (min_lat, max_lat)):
            raise forms.ValidationError(_("Latitudes must be between -90 and 90."))
        if min_lat > max_lat:
            raise forms.ValidationError("min_lat must not be greater than max_lat.")
        return min_lon, min_lat, max_lon, max_lat


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$",
        "description": "Only places inside min_lon,min_lat,max_lon,max_lat (WGS 84: west, "
        "south, east, north). Sensitive sites match on their coarsened coordinates.",
    }
)
class BBoxFilter(django_filters.Filter):
    """Places inside a box (RFC 7946 order: west, south, east, north; west > east crosses the
    antimeridian). A sensitive site is matched on its coarsened coordinates, so that narrowing
    boxes cannot reveal more than the API shows."""

    field_class = BBoxField

    def __init__(self, *args: Any, sensitive_flag: str, **kwargs: Any) -> None:
        self.sensitive_flag = sensitive_flag
        super().__init__(*args, **kwargs)

    def filter(self, queryset: QuerySet, value: tuple | None) -> QuerySet:
        if not value:
            return queryset
        min_lon, min_lat, max_lon, max_lat = value

        def inside(latitude: str, longitude: str) -> Q:
            in_latitude = Q(**{f"{latitude}__gte": min_lat, f"{latitude}__lte": max_lat})
            if min_lon <= max_lon:
                in_longitude = Q(**{f"{longitude}__gte": min_lon, f"{longitude}__lte": max_lon})
            else:
                in_longitude = Q(**{f"{longitude}__gte": min_lon}) | Q(
                    **{f"{longitude}__lte": max_lon}
                )
            return in_latitude & in_longitude

        return queryset.annotate(
            coarse_latitude=Round("latitude", 1), coarse_longitude=Round("longitude", 1)
        ).filter(
            (Q(**{self.sensitive_flag: False}) & inside("latitude", "longitude"))
            | (Q(**{self.sensitive_flag: True}) & inside("coarse_latitude", "coarse_longitude"))
        )


@extend_schema_field(
    {
        "type": "boolean",
        "description": "true: only what belongs to sites on the List of World Heritage in "
        "Danger; false: only the others.",
    }
)
class InDangerFilter(StrictBooleanFilter):
    """true: on the List of World Heritage in Danger; false: not on it."""

    def filter(self, queryset: QuerySet, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.field_name}__isnull": not value})


@extend_schema_field(
    {"type": "integer", "description": "World Heritage List property number of the site."}
)
class UnescoIdFilter(django_filters.NumberFilter):
    """A whole number (django-filter's NumberFilter would take any decimal, such as 2e-311)."""

    # The stubs narrow NumberFilter.field_class to DecimalField; django-filter takes any field.
    field_class = forms.IntegerField  # type: ignore[assignment]


class SiteFilter(django_filters.FilterSet):
    country = CountryFilter(field_name="countries")
    unesco_id = UnescoIdFilter()
    in_danger = InDangerFilter(field_name="in_danger_since")
    category = django_filters.ChoiceFilter(choices=HeritageSite.Category.choices)
    region = django_filters.ChoiceFilter(choices=HeritageSite.Region.choices)
    bbox = BBoxFilter(sensitive_flag="location_is_sensitive")

    class Meta:
        model = HeritageSite
        fields = ["country", "unesco_id", "in_danger", "category", "region", "bbox"]


class MonumentFilter(django_filters.FilterSet):
    site = django_filters.ModelChoiceFilter(
        queryset=HeritageSite.objects.all(), to_field_name="slug", help_text="A site's slug."
    )
    country = CountryFilter(field_name="site__countries")
    kind = django_filters.ChoiceFilter(choices=Monument.Kind.choices)
    in_danger = InDangerFilter(field_name="site__in_danger_since")
    unesco_id = UnescoIdFilter(field_name="site__unesco_id")
    bbox = BBoxFilter(sensitive_flag="site__location_is_sensitive")

    class Meta:
        model = Monument
        fields = ["site", "country", "kind", "in_danger", "unesco_id", "bbox"]
