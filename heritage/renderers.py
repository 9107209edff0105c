"""The API's JSON renderer, in a module of its own so that settings can name it (heritage.rest
imports DRF's views, which read the settings)."""

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
        if self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        return orjson.dumps(
            data, default=self._drf_encoder.default, option=orjson.OPT_PASSTHROUGH_DATETIME
        )
