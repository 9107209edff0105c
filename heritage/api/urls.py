"""The public API, version 1: one router at /api/v1/ (every endpoint), its OpenAPI schema and
docs page."""

from typing import Any

from django.http import JsonResponse
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.metadata import SimpleMetadata
from rest_framework.routers import APIRootView, DefaultRouter

from heritage.api.viewsets import StrictRequestMixin
from reports.views import MonumentViewSet, ReportViewSet, SiteViewSet, SourceViewSet


class RootView(StrictRequestMixin, APIRootView):
    """The list of endpoints."""


class SchemaView(StrictRequestMixin, SpectacularAPIView):
    """The OpenAPI document."""


class DocsView(StrictRequestMixin, SpectacularSwaggerView):
    """The interactive documentation page."""

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # DRF describes a view in its renderer's format; this one's renders a template only.
        return JsonResponse(SimpleMetadata().determine_metadata(request, self))


class Router(DefaultRouter):
    APIRootView = RootView


router = Router()
router.register("sites", SiteViewSet, basename="site")
router.register("monuments", MonumentViewSet, basename="monument")
router.register("reports", ReportViewSet, basename="report")
router.register("sources", SourceViewSet, basename="source")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]
