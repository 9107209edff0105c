"""Who may do what with the public API, and how often: read-only access (for the API and for
the plain read-only views /healthz and /evidence/), the throttle and the client address it
counts by."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import permissions, throttling
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.request import Request


class ReadOnly(permissions.BasePermission):
    """Only safe methods, whoever asks: curators write through the admin, never the API.
    Answers 405, as the missing handlers would, should a write handler ever be added."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method not in permissions.SAFE_METHODS:
            raise MethodNotAllowed(request.method or "")
        return True


def read_only_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A plain Django view outside the API (/healthz, /evidence/) that answers GET and HEAD
    only, anything else 405 with Allow and a JSON body, as the API does. CSRF-exempt: it never
    writes, and CsrfViewMiddleware would otherwise answer a write with its 403 page before the
    view could say 405."""

    @csrf_exempt
    @wraps(view)
    def read_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            message = f'Method "{request.method}" not allowed.'
            return JsonResponse({"detail": message}, status=405, headers={"Allow": "GET, HEAD"})
        return view(request, *args, **kwargs)

    return read_only


class PublicRateThrottle(throttling.AnonRateThrottle):
    """Requests per client address, at the rate of settings.API_THROTTLE_RATE (read on every
    request, so it can be changed without touching the class)."""

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATE

    def get_ident(self, request: Request) -> str:
        return client_address(request)


def client_address(request: Request) -> str:
    """The client's address: the connection's own, unless settings.TRUSTED_PROXIES reverse
    proxies stand in front of the application. Each proxy appends the address it was called
    from to X-Forwarded-For, so behind N of them the client is the N-th entry from the right;
    anything further left was written by the client and proves nothing (a client sending a new
    X-Forwarded-For with each request must not escape throttling)."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if proxies and addresses:
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")
