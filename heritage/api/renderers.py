"""The public API's formats: JSON (orjson), RFC 7946 GeoJSON, JSON-LD and CSV. Settings name
JSONRenderer, so this module imports nothing that reads the settings (DRF's views do)."""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson
from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, encoded by orjson: the same bytes for our data (compact, UTF-8), about ten
    times faster. Whatever orjson does not know natively, datetimes included, goes through
    DRF's own encoder; an `indent` asked for in the Accept header falls back to DRF."""

    _drf_encoder = renderers.JSONRenderer.encoder_class()

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(
            data, default=self._drf_encoder.default, option=orjson.OPT_PASSTHROUGH_DATETIME
        )


class GeoJSONRenderer(JSONRenderer):
    """RFC 7946 GeoJSON for anything serialized with `latitude`/`longitude`: a list page becomes
    a FeatureCollection (with `count`, `next`, `previous` as foreign members), one object a
    Feature, longitude first. Error bodies pass through as plain JSON."""

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            extra = {key: value for key, value in data.items() if key != "results"}
            data = {
                "type": "FeatureCollection",
                "features": [self.feature(item) for item in data["results"]],
                **extra,
            }
        elif isinstance(data, dict) and "latitude" in data:
            data = self.feature(data)
        return super().render(data, accepted_media_type, renderer_context)

    @staticmethod
    def feature(item: dict) -> dict:
        properties = {k: v for k, v in item.items() if k not in ("latitude", "longitude")}
        latitude, longitude = item.get("latitude"), item.get("longitude")
        geometry = None
        if latitude is not None and longitude is not None:
            geometry = {"type": "Point", "coordinates": [longitude, latitude]}
        return {
            "type": "Feature",
            "id": item.get("key"),
            "geometry": geometry,
            "properties": properties,
        }


class CSVRenderer(renderers.BaseRenderer):
    """Declares `?format=csv`. Lists stream their rows themselves (a StreamingHttpResponse);
    errors are answered in JSON (see PublicViewSet.handle_exception)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        buffer = io.StringIO()
        if rows and isinstance(rows[0], dict):
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
        return buffer.getvalue()


def spreadsheet_safe(value: Any) -> Any:
    """Neutralise cells a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class JSONLDRenderer(JSONRenderer):
    """`?format=jsonld`: a view's records as JSON-LD, made by the view's
    `linked_data(request, data)` (reports.linked_data) from the representation its JSON
    shows. A page of a list is one document whose `@graph` holds its records, the next and
    previous pages linked in the Link header (RFC 8288). Error bodies pass through as plain
    JSON."""

    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        context = renderer_context or {}
        view, request = context.get("view"), context.get("request")
        response = context.get("response")
        make = getattr(view, "linked_data", None)
        reading = request is not None and request.method in ("GET", "HEAD")
        if make is not None and reading and response is not None and response.status_code == 200:
            if isinstance(data, dict) and isinstance(data.get("results"), list):
                links = [
                    f'<{data[rel]}>; rel="{rel if rel == "next" else "prev"}"'
                    for rel in ("next", "previous")
                    if data.get(rel)
                ]
                if links:
                    response["Link"] = ", ".join(links)
            data = make(request, data)
        return super().render(data, accepted_media_type, renderer_context)
