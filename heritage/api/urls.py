"""The public API, version 1: one router at /api/v1/ (every endpoint), its OpenAPI schema and
docs page."""

from typing import Any

from django.http import JsonResponse
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter
from rest_framework.views import APIView

from heritage.api.access import ReadOnly
from heritage.api.renderers import JSONLDRenderer, JSONRenderer
from heritage.api.schema import DETAIL, JSONLD_CONTEXT, PARAMETER_ERRORS
from heritage.api.viewsets import StrictRequestMixin
from reports import linked_data
from reports.views import (
    ChangeViewSet,
    MonumentViewSet,
    ReportViewSet,
    SiteViewSet,
    SourceViewSet,
)


class RootView(StrictRequestMixin, APIRootView):
    """The list of endpoints."""


class SchemaView(StrictRequestMixin, SpectacularAPIView):
    """The OpenAPI document."""


class DocsView(StrictRequestMixin, SpectacularSwaggerView):
    """The interactive documentation page."""

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # DRF describes a view in its renderer's format; this one's renders a template only.
        return JsonResponse(SimpleMetadata().determine_metadata(request, self))


class ContextView(StrictRequestMixin, APIView):
    """The JSON-LD context of `?format=jsonld` documents (reports.linked_data): served here,
    so that they expand without any other site."""

    renderer_classes = [JSONLDRenderer, JSONRenderer]  # errors are JSON
    permission_classes = [ReadOnly]

    @extend_schema(
        responses={
            200: OpenApiResponse(JSONLD_CONTEXT, "The context."),
            400: OpenApiResponse(PARAMETER_ERRORS, "An unknown parameter or format."),
            406: OpenApiResponse(DETAIL, "The Accept header names no format offered here."),
            429: OpenApiResponse(DETAIL, "Too many requests: wait as Retry-After says."),
        },
        parameters=[
            OpenApiParameter(
                "format",
                str,
                OpenApiParameter.QUERY,
                enum=[JSONLDRenderer.format, JSONRenderer.format],
                description="Response format, instead of the Accept header: jsonld (the "
                "default) or json.",
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return Response(linked_data.context(request))


class Router(DefaultRouter):
    APIRootView = RootView


router = Router()
router.register("sites", SiteViewSet, basename="site")
router.register("monuments", MonumentViewSet, basename="monument")
router.register("reports", ReportViewSet, basename="report")
router.register("sources", SourceViewSet, basename="source")
router.register("changes", ChangeViewSet, basename="change")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(url_name="api:schema"), name="docs"),
    path("context.jsonld", ContextView.as_view(), name="context"),
]
