"""Public, read-only API over sites and monuments. The reports app extends these viewsets with
what it knows about them (counts, condition, timeline); heritage/api.py registers those."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import renderers

from heritage.rest import (
    GeoJSONRenderer,
    JSONRenderer,
    PageNumberPagination,
    PublicViewSet,
    StrictFilterBackend,
    StrictOrderingFilter,
    StrictSearchFilter,
)
from sites.filters import MonumentFilter, SiteFilter
from sites.models import HeritageSite, Monument
from sites.serializers import MonumentSerializer, SiteSerializer

RENDERERS = [JSONRenderer, renderers.BrowsableAPIRenderer, GeoJSONRenderer]


class SiteViewSet(PublicViewSet):
    """Heritage sites: World Heritage properties and other sites. `?format=geojson` gives an
    RFC 7946 FeatureCollection."""

    lookup_field = "slug"
    lookup_description = "The site's slug, e.g. palmyra."
    missing_detail = "No site has this slug."
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    pagination_class = PageNumberPagination
    renderer_classes = RENDERERS
    filter_backends = [StrictFilterBackend, StrictSearchFilter, StrictOrderingFilter]
    search_fields = ["name"]
    ordering_fields = ["name", "unesco_id", "year_inscribed", "in_danger_since"]
    ordering = ["name"]

    def get_queryset(self) -> QuerySet[HeritageSite]:
        return HeritageSite.objects.with_monument_count()


class MonumentViewSet(PublicViewSet):
    """Monuments inside sites, addressed as {site slug}/{monument slug}. `?format=geojson` gives
    an RFC 7946 FeatureCollection."""

    lookup_url_kwarg = "key"
    lookup_value_regex = r"[-\w]+/[-\w]+"
    lookup_description = "Site slug / monument slug, e.g. palmyra/temple-of-bel."
    missing_detail = "No monument has this key (site slug / monument slug)."
    serializer_class = MonumentSerializer
    filterset_class = MonumentFilter
    pagination_class = PageNumberPagination
    renderer_classes = RENDERERS
    filter_backends = [StrictFilterBackend, StrictSearchFilter, StrictOrderingFilter]
    search_fields = ["name", "alternative_names__name"]
    ordering_fields = ["name", "kind"]
    ordering = ["site__name", "name"]

    def get_queryset(self) -> QuerySet[Monument]:
        return Monument.objects.select_related("site").prefetch_related("alternative_names")

    def get_object(self) -> Monument:
        queryset = self.filter_queryset(self.get_queryset()).with_key(self.kwargs["key"])
        monument = get_object_or_404(queryset)
        self.check_object_permissions(self.request, monument)
        return monument
