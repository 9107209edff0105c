"""Links between the public API's objects: absolute, and the same in every format."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from rest_framework.request import Request

# An API view's request or a page's: links and shapes are the same for both.
AnyRequest = HttpRequest | Request


def api_link(request: AnyRequest, view_name: str, key: Any) -> str:
    """The absolute URL of `view_name` for `key`. reverse() costs about 0.1 ms (a page of 100
    reports has 430 links, half the page's time), so each view's path is reversed once per
    process and its links made from it: what comes before and after the key, after the
    request's scheme and host."""
    key = str(key)
    # Most links are to a report or an article by number, which needs no check.
    plain = (key.isdigit() and key.isascii()) or _is_plain(key)
    if not plain:  # reverse() would quote something
        return request.build_absolute_uri(reverse(view_name, args=[key]))
    links = request.__dict__.get("_api_links")
    if links is None:  # once per request: the host check and the prefix lookup cost
        base = request.build_absolute_uri("/")[:-1]
        links = request.__dict__["_api_links"] = (
            base,
            _PATH_TEMPLATES.setdefault(get_script_prefix(), {}),
        )
    base, templates = links
    template = templates.get(view_name)
    if template is None:
        template = path_around_key(view_name, key)
        if template is None:
            return request.build_absolute_uri(reverse(view_name, args=[key]))
        templates[view_name] = template
    return f"{base}{template[0]}{key}{template[1]}"


def path_around_key(view_name: str, key: str, *first: str) -> tuple[str, str] | None:
    """The path of `view_name` (for the `first` arguments, then `key`) before and after its
    key, to make many links from one reverse(); None if the key is not found in it as given.
    The key is the last argument, so its last occurrence is the key itself."""
    path = reverse(view_name, args=[*first, key])
    at = path.rfind(key)
    return (path[:at], path[at + len(key) :]) if at > 0 else None


# script prefix -> view name -> the view's path before and after its key, reversed once per
# process (the script prefix is what reverse() reads besides the view).
_PATH_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {}

_PLAIN_KEY = re.compile(r"[-\w/]+", re.ASCII)


@functools.lru_cache(maxsize=4096)
def _is_plain(key: str) -> bool:
    """Whether reverse() would leave `key` as it is (letters, digits, - and /). Remembered:
    a page links the same sites and monuments many times, and the match cost more than the
    rest of the link."""
    return _PLAIN_KEY.fullmatch(key) is not None
