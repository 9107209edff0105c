"""`/favicon.ico`, which browsers ask of every page that links no icon (the API's pages, an
answer opened in a tab): the admin's icon, from the static files, without a redirect."""

from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@cache
def _icon() -> bytes:
    path = finders.find("favicon.ico")
    if path is None:
        raise ImproperlyConfigured("No static file favicon.ico (static/favicon.ico).")
    return Path(path).read_bytes()


@require_safe
@cache_control(public=True, max_age=86_400)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_icon(), content_type="image/x-icon")
