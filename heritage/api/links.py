"""Links between the public API's objects: absolute, and the same in every format."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.urls import reverse
from rest_framework.request import Request


def api_link(request: Request, view_name: str, key: Any) -> str:
    """The absolute URL of `view_name` for `key`. reverse() costs about 0.1 ms (a page of 100
    reports has 430 links, half the page's time), so each view's URL is reversed once per
    request and the others made from it: what comes before and after the key."""
    templates = request.__dict__.setdefault("_api_link_templates", {})
    key = str(key)
    if view_name not in templates:
        path = reverse(view_name, args=[key])
        at = path.rfind(key)
        templates[view_name] = (
            (request.build_absolute_uri(path[:at]), path[at + len(key) :]) if at > 0 else None
        )
    template = templates[view_name]
    # Most links are to a report or an article by number, which needs no check.
    plain = (key.isdigit() and key.isascii()) or _is_plain(key)
    if template is None or not plain:
        return request.build_absolute_uri(reverse(view_name, args=[key]))
    return f"{template[0]}{key}{template[1]}"


_PLAIN_KEY = re.compile(r"[-\w/]+", re.ASCII)


@functools.lru_cache(maxsize=4096)
def _is_plain(key: str) -> bool:
    """Whether reverse() would leave `key` as it is (letters, digits, - and /). Remembered:
    a page links the same sites and monuments many times, and the match cost more than the
    rest of the link."""
    return _PLAIN_KEY.fullmatch(key) is not None
