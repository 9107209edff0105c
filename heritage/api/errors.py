"""Errors outside the viewsets: a JSON 404 and 500 under /api/ (and a JSON 404 under
/evidence/, the public photos), Django's pages elsewhere."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware import common
from django.views import defaults

from reports.views import photo_not_found


def not_found(request: HttpRequest, exception: Exception | None) -> HttpResponse:
    """A JSON 404 under /api/ and /evidence/ (the public photos), the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "No such address in the API."}, status=404)
    if request.path.startswith("/evidence/"):
        return photo_not_found()
    return defaults.page_not_found(request, exception)


def not_found_in_json(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: in debug mode Django answers an unknown address with its HTML page of URL
    patterns, bypassing not_found; under /api/ and /evidence/ the answer is JSON as always."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            response.status_code == 404
            and "text/html" in response.get("Content-Type", "")
            and request.path.startswith(("/api/", "/evidence/"))
        ):
            return not_found(request, None)
        return response

    return middleware


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A JSON 400 under /api/ for what Django refuses before any view (a Host header not in
    DJANGO_ALLOWED_HOSTS, a suspicious address), the usual page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": "Bad request: the address or its Host is refused."}, status=400
        )
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal error; it has been logged."}, status=500)
    return defaults.server_error(request)


class CommonMiddleware(common.CommonMiddleware):
    """Django's, except that a write to an API address without its final slash is not sent to
    the address with one: Django cannot redirect a POST without losing it (in debug mode it
    raised an HTML 500 instead), and the read-only API takes no writes anyway. It stays the
    JSON 404 of an unknown address."""

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        if request.path.startswith("/api/") and request.method not in ("GET", "HEAD"):
            return False
        return super().should_redirect_with_slash(request)
