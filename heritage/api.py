"""The public API, version 1: one router at /api/v1/, its OpenAPI schema and docs page, and
JSON answers for unknown API addresses."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.routers import APIRootView, DefaultRouter

from heritage.rest import StrictRequestMixin
from reports.views import (
    MonumentWithReportsViewSet,
    ReportViewSet,
    SiteWithReportsViewSet,
    SourceViewSet,
    photo_not_found,
)


class RootView(StrictRequestMixin, APIRootView):
    """The list of endpoints."""


class SchemaView(StrictRequestMixin, SpectacularAPIView):
    """The OpenAPI document."""


class DocsView(StrictRequestMixin, SpectacularSwaggerView):
    """The interactive documentation page."""

    def options(self, request: Request, *args, **kwargs) -> HttpResponse:
        # DRF describes a view in its renderer's format; this one's renders a template only.
        return JsonResponse(self.metadata_class().determine_metadata(request, self))


class Router(DefaultRouter):
    APIRootView = RootView


router = Router()
# `sites` never imports `reports`: the site and monument endpoints are the reports app's
# extensions of the sites app's viewsets, which add counts, condition and timeline.
router.register("sites", SiteWithReportsViewSet, basename="site")
router.register("monuments", MonumentWithReportsViewSet, basename="monument")
router.register("reports", ReportViewSet, basename="report")
router.register("sources", SourceViewSet, basename="source")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
]


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A JSON 404 under /api/ and /evidence/ (the public photos), the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "No such address in the API."}, status=404)
    if request.path.startswith("/evidence/"):
        return photo_not_found()
    return defaults.page_not_found(request, exception)


def not_found_in_json(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: in debug mode Django answers an unknown address with its HTML page of URL
    patterns, bypassing not_found; under /api/ and /evidence/ the answer is JSON as always."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            response.status_code == 404
            and "text/html" in response.get("Content-Type", "")
            and request.path.startswith(("/api/", "/evidence/"))
        ):
            return not_found(request, None)
        return response

    return middleware


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal error; it has been logged."}, status=500)
    return defaults.server_error(request)
