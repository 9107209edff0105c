"""What every public API route promises: read-only, JSON errors, HTTP caching, CORS,
throttling, and a valid, fully described OpenAPI document."""

import pytest
from django.test import Client
from openapi_spec_validator import validate

from tests.api_data import make_world

pytestmark = pytest.mark.django_db

API = "/api/v1"


def every_route(world) -> list[str]:
    report = world["published"][0]
    article = report.citations.first().article
    return [
        f"{API}/",
        f"{API}/sites/",
        f"{API}/sites/palmyra/",
        f"{API}/monuments/",
        f"{API}/monuments/palmyra/temple-of-bel/",
        f"{API}/reports/",
        f"{API}/reports/{report.pk}/",
        f"{API}/sources/",
        f"{API}/sources/{article.pk}/",
        f"{API}/schema/",
        f"{API}/docs/",
    ]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "curator"])
def test_every_route_refuses_writes(client, admin_user, method, logged_in):
    world = make_world()
    if logged_in:
        client.force_login(admin_user)
    for url in every_route(world):
        response = getattr(client, method)(url, {"name": "x"}, content_type="application/json")
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_every_route_answers_get(client):
    for url in every_route(make_world()):
        assert client.get(url).status_code == 200, url


def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get(f"{API}/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such address in the API."}


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_api_address_without_its_slash_is_a_json_404(
    client, settings, debug, method
):
    """Found by an outside probe: in debug mode (`make run`) Django's slash redirect raised an
    HTML 500 for a POST; with debug off it sent the client to redirect its write as a GET."""
    settings.DEBUG = debug
    report = make_world()["published"][0]
    for path in (f"{API}/reports/{report.pk}", API, f"{API}/reports"):
        response = getattr(client, method)(path, {"name": "x"}, content_type="application/json")
        assert response.status_code == 404, (path, response.status_code)
        assert response.json() == {"detail": "No such address in the API."}
    assert client.get(f"{API}/reports").status_code == 301  # a read still finds its slash


def test_a_host_not_allowed_is_a_json_400_under_the_api(client, settings):
    settings.ALLOWED_HOSTS = ["heritage.example"]
    response = client.get(f"{API}/reports/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request: the address or its Host is refused."}
    assert "json" not in client.get("/admin/", headers={"host": "evil.example"})["Content-Type"]


@pytest.mark.parametrize(
    "path",
    ["/reports/abc/", "/reports/99999999/", "/reports/99999999999999999999/", "/sources/x/"],
)
def test_a_malformed_or_missing_id_is_a_json_404(client, path):
    response = client.get(API + path)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_repeated_conditional_get_answers_304(client):
    make_world()
    first = client.get(f"{API}/reports/")
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(f"{API}/reports/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_the_etag_changes_when_curators_publish(client):
    world = make_world()
    etag = client.get(f"{API}/reports/")["ETag"]
    report = world["unpublished"][0]  # a draft, with a citation
    from reports.services import report_publish, report_submit

    report_submit(report=report, by=None)
    report_publish(report=report, by=None)
    response = client.get(f"{API}/reports/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_responses_may_be_cached_publicly(client, settings):
    settings.API_CACHE_MAX_AGE = 30
    make_world()
    response = client.get(f"{API}/sites/")
    assert response["Cache-Control"] == "public, max-age=30"
    assert "Accept" in response["Vary"]
    assert "Cache-Control" not in client.get(f"{API}/sites/?bbox=bad")


def test_any_origin_may_read_the_api(client):
    make_world()
    response = client.get(f"{API}/sites/", headers={"origin": "https://maps.example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}/sites/",
        headers={
            "origin": "https://maps.example.org",
            "access-control-request-method": "GET",
        },
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_any_origin_may_read_the_public_photos_the_api_links_to(client):
    """An outside probe: `evidence[].image` links had no CORS header, so a map on another
    origin could not draw them into a canvas."""
    response = client.get("/evidence/1/web/", headers={"origin": "https://maps.example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"  # said on the 404 too


def test_the_admin_is_not_opened_to_other_origins(client):
    response = client.get("/admin/login/", headers={"origin": "https://evil.example.org"})
    assert "Access-Control-Allow-Origin" not in response


def test_anonymous_clients_are_throttled_with_retry_after(client, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    make_world()
    for _ in range(3):
        assert client.get(f"{API}/sites/").status_code == 200
    response = client.get(f"{API}/reports/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "throttled" in response.json()["detail"].lower()


@pytest.fixture
def openapi(client) -> dict:
    response = client.get(f"{API}/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_openapi_document_is_valid(openapi):
    validate(openapi)
    assert openapi["openapi"].startswith("3.")
    paths = set(openapi["paths"])
    assert {
        "/api/v1/sites/",
        "/api/v1/sites/{slug}/",
        "/api/v1/monuments/",
        "/api/v1/monuments/{key}/",
        "/api/v1/reports/",
        "/api/v1/reports/{id}/",
        "/api/v1/sources/",
        "/api/v1/sources/{id}/",
    } <= paths


def test_every_field_and_parameter_is_described(openapi):
    undescribed = [
        f"{name}.{field}"
        for name, component in openapi["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert undescribed == []
    parameters = [
        f"{path} {parameter['name']}"
        for path, operations in openapi["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]
    assert parameters == []


def test_the_docs_page_is_served_without_any_cdn(client):
    page = client.get(f"{API}/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page


def test_the_docs_page_answers_options(client):
    response = client.options(f"{API}/docs/")
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("path", ["/healthz", "/evidence/1/web/", "/evidence/1/thumbnail/"])
@pytest.mark.parametrize("method", ["trace", "post", "put", "patch", "delete", "options"])
def test_the_routes_outside_the_api_answer_only_get_and_head(path, method):
    # As a browser or curl sends them: with CSRF checks, and no CSRF token (the test client
    # skips the checks, which once answered writes with a 403 HTML page before the 405).
    client = Client(enforce_csrf_checks=True)
    response = client.generic(method.upper(), path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}


@pytest.mark.parametrize(
    ("path", "formats"),
    [
        ("/", "json, api"),
        ("/schema/", "yaml, json"),
        ("/docs/", "html"),
        ("/sites/", "json, api, geojson, jsonld"),
        ("/reports/", "json, api, csv, jsonld"),
    ],
)
@pytest.mark.parametrize("requested", ["csv", "geojson", "xml", ""])
def test_a_format_a_route_does_not_offer_is_a_json_400_naming_it(client, path, formats, requested):
    if requested in formats.split(", "):
        return
    response = client.get(f"{API}{path}", {"format": requested})
    assert response.status_code == 400
    assert response.json() == {"format": [f"One of: {formats}."]}


def test_a_write_with_an_unknown_format_is_still_a_405(client):
    assert client.post(f"{API}/reports/?format=xml").status_code == 405


@pytest.mark.parametrize("path", ["/", "/schema/", "/docs/"])
def test_the_root_schema_and_docs_refuse_unknown_parameters(client, path):
    response = client.get(f"{API}{path}", {"colour": "red"})
    assert response.status_code == 400
    assert list(response.json()) == ["colour"]


def test_every_route_carries_its_caching_headers_to_head_as_to_get(client):
    for url in every_route(make_world()):
        for method in ("get", "head"):
            response = getattr(client, method)(url)
            assert response.status_code == 200, (method, url)
            assert response["ETag"], (method, url)
            # Pages for people (the docs) are for one browser: see the test below.
            page = "text/html" in response["Content-Type"]
            expected = "private, no-cache" if page else "public, max-age=60"
            assert response["Cache-Control"] == expected, (method, url)


def test_a_head_holding_the_etag_is_answered_304_as_a_get_is(client):
    """Found by an outside probe: HEAD with If-None-Match always answered 200 (Django's
    conditional middleware answers GET only)."""
    for url in every_route(make_world()):
        first = client.head(url)
        if "text/html" in first["Content-Type"]:
            continue  # the docs page: a new CSRF token each time, so never the same bytes
        etag = first["ETag"]
        for method in ("get", "head"):
            response = getattr(client, method)(url, headers={"if-none-match": etag})
            assert response.status_code == 304, (method, url)
            assert response["ETag"] == etag and "public" in response["Cache-Control"]
        assert client.head(url, headers={"if-none-match": '"other"'}).status_code == 200


@pytest.mark.parametrize("url", [f"{API}/reports/?format=api", f"{API}/docs/", f"{API}/"])
def test_pages_for_people_are_never_kept_by_shared_caches(client, url):
    """The browsable API and the docs page set a CSRF cookie and carry its token: a shared
    cache must not hand them to another visitor (found by an outside probe)."""
    response = client.get(url, headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "text/html" in response["Content-Type"]
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def throttled_after(client, settings, requests: list[dict]) -> list[int]:
    settings.API_THROTTLE_RATE = "2/minute"
    return [client.get(f"{API}/sites/", **headers).status_code for headers in requests]


def test_a_new_x_forwarded_for_on_each_request_does_not_escape_throttling(client, settings):
    make_world()
    requests = [{"HTTP_X_FORWARDED_FOR": f"203.0.113.{i}"} for i in range(4)]
    assert throttled_after(client, settings, requests) == [200, 200, 429, 429]


def test_behind_trusted_proxies_the_client_is_the_address_they_saw(client, settings):
    make_world()
    settings.TRUSTED_PROXIES = 1
    # The one proxy appends the address that called it; what is left of it is the client's.
    requests = [
        {"HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.1"},
        {"HTTP_X_FORWARDED_FOR": "198.51.100.8, 203.0.113.1"},
        {"HTTP_X_FORWARDED_FOR": "203.0.113.1"},
        {"HTTP_X_FORWARDED_FOR": "203.0.113.2"},
        {"HTTP_X_FORWARDED_FOR": "203.0.113.2"},
    ]
    assert throttled_after(client, settings, requests) == [200, 200, 429, 200, 200]


UNACCEPTABLE = ["text/csv", "application/geo+json", "text/html", "garbage", "image/png", "text/*"]


@pytest.mark.parametrize("accept", UNACCEPTABLE + ["application/json; indent=4", ""])
@pytest.mark.parametrize("path", ["/", "/schema/", "/docs/", "/sites/", "/reports/1/"])
def test_an_error_is_json_whatever_the_accept_header_asks_for(client, path, accept):
    response = client.get(f"{API}{path}", {"colour": "red"}, headers={"accept": accept})
    assert response.status_code in (400, 406), response.content
    assert response["Content-Type"] == "application/json", response.content
    assert response.json()


@pytest.mark.parametrize("accept", UNACCEPTABLE)
def test_a_format_the_schema_does_not_offer_in_accept_is_a_json_406(client, accept):
    response = client.get(f"{API}/schema/", headers={"accept": accept})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.parametrize("accept", ["", " ", "*/*"])
@pytest.mark.parametrize("path", ["/", "/schema/", "/docs/", "/sites/", "/reports/"])
def test_an_empty_accept_header_means_anything(client, path, accept):
    make_world()
    response = client.get(f"{API}{path}", headers={"accept": accept})
    assert response.status_code == 200, response.content


def test_every_operation_documents_its_406(openapi):
    for path, operations in openapi["paths"].items():
        assert "406" in operations["get"]["responses"], path


def test_a_list_refuses_an_accept_header_it_cannot_serve_with_a_json_406(client):
    response = client.get(f"{API}/sites/", headers={"accept": "text/csv"})
    assert response.status_code == 406
    assert response.json() == {"detail": "Could not satisfy the request Accept header."}


def test_the_docs_page_refuses_json_with_a_json_406(client):
    response = client.get(f"{API}/docs/", headers={"accept": "application/json; indent=4"})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_every_route_carries_its_caching_headers_to_options_too(client, settings):
    settings.API_CACHE_MAX_AGE = 30
    for url in every_route(make_world()):
        response = client.options(url)
        assert response.status_code == 200, url
        assert response["ETag"], url
        assert response["Cache-Control"] == "public, max-age=30", url
