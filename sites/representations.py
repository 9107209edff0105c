"""The public shape of sites and monuments: one typed function each, which the API's JSON and
GeoJSON (and, through the reports app, its CSV and the report-derived shapes) all call. The
serializers in sites/serializers.py only describe these shapes for the OpenAPI document;
tests/sites/test_api.py holds both together for every demo record.

Coordinates always come from `public_coordinates()` (or `public_point`, its form for joined
columns), so a sensitive site is never shown more exactly than 0.1°."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from heritage.api.dates import iso_datetime, request_time_zone
from heritage.api.links import AnyRequest, api_link
from sites.models import HeritageSite, Monument, NamedInLanguage, monument_key


class CoordinatesDict(TypedDict):
    latitude: float | None
    longitude: float | None
    coordinates_coarsened: bool


class SiteLinkDict(TypedDict):
    url: str
    slug: str
    name: str
    unesco_id: int | None


class MonumentLinkDict(TypedDict):
    url: str
    key: str
    slug: str
    name: str
    kind: str


class NameDict(TypedDict):
    name: str
    language: str


class SiteDict(TypedDict):
    url: str
    key: str
    slug: str
    name: str
    other_names: list[NameDict]
    unesco_id: int | None
    unesco_url: str
    countries: list[str]
    region: str
    category: str
    criteria: str
    year_inscribed: int | None
    in_danger: bool
    in_danger_since: int | None
    latitude: float | None
    longitude: float | None
    coordinates_coarsened: bool
    description: str
    monument_count: int
    updated_at: str | None


class MonumentDict(TypedDict):
    url: str
    key: str
    slug: str
    name: str
    alternative_names: list[str]
    other_names: list[NameDict]
    kind: str
    site: SiteLinkDict
    period: str
    description: str
    current_location: str
    wikidata_id: str
    latitude: float | None
    longitude: float | None
    coordinates_coarsened: bool
    updated_at: str | None


def coordinates(point: tuple[float, float] | None, *, coarsened: bool) -> CoordinatesDict:
    """A place's public point (from public_coordinates or public_point) as shown."""
    return {
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "coordinates_coarsened": coarsened,
    }


def site_link(request: AnyRequest, *, slug: str, name: str, unesco_id: int | None) -> SiteLinkDict:
    """A site as other records refer to it (from its columns: a report joins them in)."""
    return {
        "url": api_link(request, "api:site-detail", slug),
        "slug": slug,
        "name": name,
        "unesco_id": unesco_id,
    }


def monument_link(
    request: AnyRequest, *, site_slug: str, slug: str, name: str, kind: str
) -> MonumentLinkDict:
    """A monument as other records refer to it (from its columns and its site's slug)."""
    key = monument_key(site_slug, slug)
    return {
        "url": api_link(request, "api:monument-detail", key),
        "key": key,
        "slug": slug,
        "name": name,
        "kind": kind,
    }


def site_link_of(request: AnyRequest, site: HeritageSite) -> SiteLinkDict:
    return site_link(request, slug=site.slug, name=site.name, unesco_id=site.unesco_id)


def monument_link_of(request: AnyRequest, monument: Monument) -> MonumentLinkDict:
    return monument_link(
        request,
        site_slug=monument.site.slug,
        slug=monument.slug,
        name=monument.name,
        kind=monument.kind,
    )


def names(others: Iterable[NamedInLanguage]) -> list[NameDict]:
    return [{"name": other.name, "language": other.language} for other in others]


def site_representation(request: AnyRequest, site: HeritageSite) -> SiteDict:
    """A site, from HeritageSite.objects.with_monument_count(), its other names prefetched."""
    return {
        "url": api_link(request, "api:site-detail", site.slug),
        "key": site.slug,
        "slug": site.slug,
        "name": site.name,
        "other_names": names(site.other_names.all()),
        "unesco_id": site.unesco_id,
        "unesco_url": site.unesco_url,
        # Countries, not str: django-countries' stubs type the field as CharField's str.
        "countries": [country.code for country in site.countries],  # type: ignore[attr-defined]
        "region": site.region,
        "category": site.category,
        "criteria": site.criteria,
        "year_inscribed": site.year_inscribed,
        "in_danger": site.is_in_danger,
        "in_danger_since": site.in_danger_since,
        **coordinates(site.public_coordinates(), coarsened=site.location_is_coarsened),
        "description": site.description,
        "monument_count": site.monument_count,
        "updated_at": iso_datetime(site.updated_at, request_time_zone(request)),
    }


def monument_representation(request: AnyRequest, monument: Monument) -> MonumentDict:
    """A monument, with its site and its other names prefetched."""
    key = monument.key
    return {
        "url": api_link(request, "api:monument-detail", key),
        "key": key,
        "slug": monument.slug,
        "name": monument.name,
        "alternative_names": [alias.name for alias in monument.alternative_names.all()],
        "other_names": names(monument.alternative_names.all()),
        "kind": monument.kind,
        "site": site_link_of(request, monument.site),
        "period": monument.period,
        "description": monument.description,
        "current_location": monument.current_location,
        "wikidata_id": monument.wikidata_id,
        **coordinates(monument.public_coordinates(), coarsened=monument.location_is_coarsened),
        "updated_at": iso_datetime(monument.updated_at, request_time_zone(request)),
    }
