"""The OpenAPI document's additions: error answers, the GeoJSON and CSV shapes, the `format`
parameter and the path key of every operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import renderers, serializers

from heritage.api.renderers import CSVRenderer, GeoJSONRenderer, JSONLDRenderer, JSONRenderer

PARAMETER_ERRORS = {
    "type": "object",
    "description": "Each invalid parameter, with what is wrong with it.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
DETAIL = inline_serializer(
    "Detail", {"detail": serializers.CharField(help_text="What went wrong, in a sentence.")}
)


GEOJSON_FEATURE = {
    "type": "object",
    "description": "An RFC 7946 Feature: the object's fields are its properties.",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"type": "string", "enum": ["Feature"]},
        "id": {"type": "string", "nullable": True},
        "geometry": {
            "type": "object",
            "nullable": True,
            "description": "A Point, longitude first; null when the place has no coordinates.",
            "required": ["type", "coordinates"],
            "properties": {
                "type": {"type": "string", "enum": ["Point"]},
                "coordinates": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 2,
                    "maxItems": 2,
                },
            },
        },
        "properties": {"type": "object"},
    },
}
GEOJSON_FEATURE_COLLECTION = {
    "type": "object",
    "description": "An RFC 7946 FeatureCollection of this page, with paging links.",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": GEOJSON_FEATURE},
        "count": {"type": "integer"},
        "next": {"type": "string", "nullable": True},
        "previous": {"type": "string", "nullable": True},
    },
}
JSONLD_NODE: dict[str, Any] = {
    "type": "object",
    "description": "The record in JSON-LD: CIDOC CRM classes and properties with Linked Art's "
    "names, Getty AAT types; expand it with the context at /api/v1/context.jsonld.",
    "required": ["id", "type"],
    "properties": {
        "id": {"type": "string", "format": "uri"},
        "type": {"type": "string"},
        "_label": {"type": "string"},
    },
}
JSONLD_DOCUMENT = {
    **JSONLD_NODE,
    "required": ["@context", "id", "type"],
    "properties": {"@context": {"type": "string", "format": "uri"}, **JSONLD_NODE["properties"]},
}
JSONLD_PAGE = {
    "type": "object",
    "description": "This page's records in JSON-LD, as one `@graph`; the next and previous "
    "pages are in the Link header.",
    "required": ["@context", "@graph"],
    "properties": {
        "@context": {"type": "string", "format": "uri"},
        "@graph": {"type": "array", "items": JSONLD_NODE},
    },
}
JSONLD_CONTEXT = {
    "type": "object",
    "description": "The JSON-LD context of the API's `format=jsonld` documents.",
    "required": ["@context"],
    "properties": {"@context": {"type": "object"}},
}
CSV_TABLE = {"type": "string", "description": "Every matching row, as CSV with a header line."}
BROWSABLE_API_FORMAT = renderers.BrowsableAPIRenderer.format
BROWSABLE_PAGE = {"type": "string", "description": "The browsable API: this answer as a page."}


class PublicAutoSchema(AutoSchema):
    """Documents what drf-spectacular leaves out: the error answers of every operation, the
    `format` parameter, and the path key (each viewset gives its `lookup_description`)."""

    def get_response_serializers(self) -> Any:  # a dict by status, which drf-spectacular takes
        responses = {
            "200": super().get_response_serializers(),
            "400": OpenApiResponse(
                PARAMETER_ERRORS,
                "A query parameter is unknown, empty where it may not be, or invalid (also: "
                "cursor or page_size with format=csv); the body names it.",
            ),
            "406": OpenApiResponse(
                DETAIL, "The Accept header names no format this address offers (see format)."
            ),
            "429": OpenApiResponse(DETAIL, "Too many requests: wait as Retry-After says."),
        }
        if "{" in self.path:
            responses["404"] = OpenApiResponse(DETAIL, "Nothing published at this address.")
            responses.update(getattr(self.view, "extra_detail_responses", {}))
        else:
            responses["404"] = OpenApiResponse(DETAIL, "No such page.")
        return responses

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        # drf-spectacular gives every renderer the JSON schema; GeoJSON and CSV differ, the
        # browsable API is left out, and errors are JSON whatever was asked for.
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content", {})
        if status_code != "200":
            for media_type in list(content):
                if media_type != JSONRenderer.media_type:
                    del content[media_type]
            return response
        if GeoJSONRenderer.media_type in content:
            shape = GEOJSON_FEATURE if "{" in self.path else GEOJSON_FEATURE_COLLECTION
            content[GeoJSONRenderer.media_type] = {"schema": shape}
        if CSVRenderer.media_type in content:
            content[CSVRenderer.media_type] = {"schema": CSV_TABLE}
        if JSONLDRenderer.media_type in content and hasattr(self.view, "linked_data"):
            shape = JSONLD_DOCUMENT if "{" in self.path else JSONLD_PAGE
            content[JSONLDRenderer.media_type] = {"schema": shape}
        if content and BROWSABLE_API_FORMAT in self.offered_formats():
            content[renderers.BrowsableAPIRenderer.media_type] = {"schema": BROWSABLE_PAGE}
        return response

    def offered_formats(self) -> list[str]:
        """The values of `format` the view accepts (StrictRequestMixin refuses the others)."""
        return list(dict.fromkeys(renderer.format for renderer in self.view.get_renderers()))

    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        parameters.append(
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=self.offered_formats(),
                description="Response format, instead of the Accept header: json (the "
                "default), api (the browsable API, an HTML page for people), or geojson, "
                "jsonld or csv where offered. Any other value, or an empty one, answers 400.",
            )
        )
        view: Any = self.view  # a PublicViewSet
        lookup = view.lookup_url_kwarg or view.lookup_field
        lookup = "id" if lookup == "pk" else lookup  # drf-spectacular's name for primary keys
        if "{" + lookup + "}" in self.path:
            numeric = getattr(self.view, "lookup_value_regex", "") == "[0-9]+"
            parameters.append(
                OpenApiParameter(
                    lookup,
                    OpenApiTypes.INT if numeric else OpenApiTypes.STR,
                    OpenApiParameter.PATH,
                    description=view.lookup_description,
                )
            )
        return parameters


# A serializer that documents a shape for the OpenAPI document and hands the making of it to
# the one function that makes it everywhere (`represent(request, record)`, in the app's
# representations.py): its declared fields are never read. (A comment, not a docstring: the
# document would give it as the description of every shape that has none of its own.)
class ShapeSerializer(serializers.Serializer):
    # Each subclass says which function: represent = made_by(report_representation).
    represent: ClassVar[Callable[..., Any]]

    def to_representation(self, instance: Any) -> Any:
        return type(self).represent(self.context["request"], instance)


def made_by(function: Callable[..., Any]) -> Callable[..., Any]:
    """A ShapeSerializer's `represent`: the function that makes its shape, called as it is."""
    return staticmethod(function)


@extend_schema_field(OpenApiTypes.URI)
class ApiLinkField(serializers.Field):
    """Documents an absolute link to an object in the API (made by heritage.api.links)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "This object in the API.")
        super().__init__(read_only=True, **kwargs)


def nullable_references(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular writes a nullable nested object (a report's monument) as
    `{"allOf": [{"$ref": …}], "nullable": true}`, but OpenAPI 3.0.3 gives `nullable` effect
    only beside a `type`, so validators refuse the null we send: say "that object, or null"
    in a form every 3.0 validator reads."""

    def rewrite(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("nullable") and "type" not in node and len(node.get("allOf", [])) == 1:
                reference = node.pop("allOf")[0]
                del node["nullable"]
                node["oneOf"] = [reference, {"type": "object", "nullable": True, "enum": [None]}]
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    rewrite(result)
    return result
