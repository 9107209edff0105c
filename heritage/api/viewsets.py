"""The base of every view of the public API: strict about formats and parameters, JSON
errors, throttled, cacheable (ETag, Cache-Control, kept answers), read-only."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.module_loading import import_string
from rest_framework import filters, negotiation, viewsets
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from heritage.api.access import PublicRateThrottle, ReadOnly
from heritage.api.answer_cache import cache_response, cached_response, response_cache_key
from heritage.api.filtering import StrictFilterBackend, StrictSearchFilter
from heritage.api.renderers import JSONRenderer
from heritage.api.schema import PublicAutoSchema


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    """DRF's, except that an empty Accept header means any format, as an absent one does
    (RFC 9110, 12.5.1), rather than none (a 406)."""

    def get_accept_list(self, request: Request) -> list[str]:
        return [token for token in super().get_accept_list(request) if token] or ["*/*"]


if TYPE_CHECKING:  # what StrictRequestMixin is mixed into, for its super() calls
    from rest_framework.views import APIView as _ViewBase
else:
    _ViewBase = object


class StrictRequestMixin(_ViewBase):
    """What every view of the public API does besides its own answer (the API root, the schema
    and its docs page included): a format it does not offer, or a query parameter it does not
    read, answers 400 naming the parameter (a misspelt filter must not silently return
    everything); errors are JSON whatever format was asked for; a 200 may be cached publicly
    for settings.API_CACHE_MAX_AGE seconds and carries an ETag, to HEAD and OPTIONS as to
    GET."""

    # Throttled as one, at settings.API_THROTTLE_RATE (DRF's default throttle would read the
    # rate once, at start-up).
    throttle_classes: Sequence[type[BaseThrottle]] = [PublicRateThrottle]
    content_negotiation_class: type[BaseContentNegotiation] = ContentNegotiation
    format_error: ValidationError | None = None

    def query_parameters(self) -> set[str]:
        """The query parameters this view reads."""
        return {"format"}

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple:
        requested = request.query_params.get("format")
        if requested is not None and not force:
            offered = list(dict.fromkeys(renderer.format for renderer in self.get_renderers()))
            if requested not in offered:
                # Refused once permissions are checked (a write is a 405 whatever its format).
                self.format_error = ValidationError({"format": [f"One of: {', '.join(offered)}."]})
                return super().perform_content_negotiation(request, force=True)
        return super().perform_content_negotiation(request, force)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # negotiation, permissions, throttling
        method = request.method or ""
        if not hasattr(self, method.lower()):
            raise MethodNotAllowed(method)  # before what the parameters may say
        known = self.query_parameters()
        unknown = sorted(set(request.query_params) - known)
        errors: dict[str, Any] = {}
        if self.format_error is not None and isinstance(self.format_error.detail, dict):
            errors.update(self.format_error.detail)
        if unknown:
            message = f"Unknown parameter. Known parameters: {', '.join(sorted(known))}."
            errors.update({name: [message] for name in unknown})
        if errors:
            raise ValidationError(errors)

    def handle_exception(self, exc: Exception) -> Response:
        # An error is plain JSON, whatever was asked for (CSV, GeoJSON, YAML, the docs page,
        # the browsable API), or when nothing the view offers was acceptable (a 406): the
        # renderer DRF would fall back on there is the view's first, YAML for the schema.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        # OPTIONS too: its description of the view changes no more often than a release.
        if request.method in ("GET", "HEAD", "OPTIONS") and response.status_code in (200, 304):
            renderer = getattr(request, "accepted_renderer", None)
            page = renderer is not None and renderer.media_type.startswith("text/html")
            if page and request.method != "OPTIONS":  # OPTIONS describes the view in JSON
                # A page for people (the browsable API, the docs) carries a CSRF token and
                # sets its cookie: for this browser only, never a shared cache.
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=settings.API_CACHE_MAX_AGE)
            if response.status_code == 200 and isinstance(response, HttpResponse):
                if isinstance(response, Response):
                    response.render()
                if not response.has_header("ETag"):
                    set_response_etag(response)
                if request.method == "HEAD":  # ConditionalGetMiddleware answers GET only
                    conditional = get_conditional_response(
                        request, etag=response["ETag"], response=response
                    )
                    return cast(Response, conditional)
        return response


class PublicViewSet(StrictRequestMixin, viewsets.ReadOnlyModelViewSet):
    """Base of every public endpoint: read-only, throttled, strict about its parameters (each
    view accepts only what it reads: a detail only `format`), and cacheable."""

    permission_classes = [ReadOnly]
    schema = PublicAutoSchema()
    lookup_description = "The object's number."
    # The 404 of a detail, in a sentence for people (Django's names the model class).
    missing_detail = "Nothing published has this address."
    filter_backends = [StrictFilterBackend, StrictSearchFilter]

    def query_parameters(self) -> set[str]:
        """`format`; on a list, also its filters, search, ordering and paging parameters: what
        the OpenAPI document lists for it (tests/heritage/test_api_sweep.py holds them
        together)."""
        names = super().query_parameters()
        if self.detail:
            return names
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            names |= set(filterset_class.base_filters)
        for backend in self.filter_backends:
            if issubclass(backend, filters.SearchFilter):
                names.add(backend.search_param)
            if issubclass(backend, filters.OrderingFilter):
                names.add(backend.ordering_param)
        if self.paginator is not None:
            names |= set(getattr(self.paginator, "query_parameters", ()))
        return names

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Http404):
            exc = NotFound(self.missing_detail)
        return super().handle_exception(exc)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.response_cache_key = response_cache_key(request)

    # A kept answer is already rendered: a plain HttpResponse, not DRF's Response (which the
    # stubs demand of list and retrieve, though DRF takes any response).
    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        return cached_response(self.response_cache_key) or super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        return cached_response(self.response_cache_key) or super().retrieve(
            request, *args, **kwargs
        )

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        key = getattr(self, "response_cache_key", None)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and isinstance(response, Response)
            and key is not None
        ):
            cache_response(key, response)
        return response

    def streamed_etag(self, request: Request) -> str:
        """The ETag of an answer streamed without being kept whole (CSV): from the public data
        version and the whole URL, format included, as the kept answers are filed. Weak: the
        same data, not necessarily the same bytes after a new release. Runs a query."""
        version = import_string(settings.API_DATA_VERSION)()
        url = request.build_absolute_uri()
        renderer = request.accepted_renderer.format
        digest = hashlib.sha256(f"{version} {renderer} {url}".encode()).hexdigest()
        return f'W/"{digest[:32]}"'

    def conditional_answer(self, request: Request, etag: str) -> HttpResponse | None:
        """304 when the client already holds the answer under `etag` (If-None-Match), 412
        when it asked for another (If-Match); None when the answer is to be sent."""
        answer = get_conditional_response(request, etag=etag)
        if answer is not None:
            answer["ETag"] = etag
        return answer
