"""Kept answers of the public API, filed under the public data version (see
reports.models.PublicDataVersion): a repeated request costs one query until public data change."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.module_loading import import_string
from rest_framework.request import Request
from rest_framework.response import Response

# Answers kept in the "api" cache (see settings.CACHES): JSON and GeoJSON, not CSV streams
# nor the browsable API's pages.
CACHED_FORMATS = {"json", "geojson"}
CACHED_HEADERS = ["Content-Type", "ETag"]


def response_cache_key(request: Request) -> str | None:
    """Where an answer to this request is kept: under the version of the public data
    (settings.API_DATA_VERSION, read from the database on every request so that every process
    sees a publication at once), the format, what of the Accept header changes the bytes (an
    `indent`), and the whole URL, host included (links in the answer are absolute)."""
    renderer = getattr(request, "accepted_renderer", None)
    if request.method not in ("GET", "HEAD") or renderer is None:
        return None
    if renderer.format not in CACHED_FORMATS:
        return None
    indent = renderer.get_indent(request.accepted_media_type, {})
    version = import_string(settings.API_DATA_VERSION)()
    url = request.build_absolute_uri()
    digest = hashlib.sha256(f"{version} {renderer.format} {indent} {url}".encode()).hexdigest()
    return f"api-answer:{digest}"


def cached_response(key: str | None) -> HttpResponse | None:
    if key is None:
        return None
    kept = caches["api"].get(key)
    if kept is None:
        return None
    content, headers = kept
    return HttpResponse(content, headers=headers)


def cache_response(key: str, response: Response) -> None:
    """Keep a rendered answer, with the ETag StrictRequestMixin gave it."""
    headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
    caches["api"].set(key, (response.content, headers))
