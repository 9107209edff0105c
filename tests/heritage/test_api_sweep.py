"""A sweep of the whole public API: every route (read from the URL resolver, so a new one is
swept without touching this file) x every format x every kind of address (list, published
detail, missing detail, retracted detail) x no parameter, each parameter the OpenAPI document
lists for the route with a good and with bad values, and an undocumented one x every method.

Never a 5xx; a 400 names, in its JSON body, the parameters it refuses (and only parameters that
were sent); each documented parameter is accepted with a good value and refused with a bad
one; a 200 to GET, HEAD or OPTIONS carries ETag, Cache-Control and the Content-Type of its
format; every error is JSON (a 405 with Allow), whatever the format or Accept header asked
for; each route documents exactly the formats it accepts. Requests are sent as browsers and
curl send them, with CSRF checks on. The routes outside the API that the public reads
(/healthz, the photos) are swept the same way. Run with -s to see the sweep's size."""

import json
import re
from collections import Counter
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from reports.images import clean_upload
from reports.models import DamageReport, SourceArticle
from reports.services import evidence_attach, report_publish, report_submit, report_transition
from reports.vocabularies import Status
from sites.models import HeritageSite
from tests.factories import make_article, make_citation, make_report
from tests.images import jpeg

pytestmark = pytest.mark.django_db

FORMATS = [None, "json", "api", "csv", "geojson", "jsonld", "bogus"]
METHODS = ["GET", "HEAD", "OPTIONS", "TRACE", "POST", "PUT", "PATCH", "DELETE"]
CONTENT_TYPES = {"json": "json", "geojson": "application/geo+json", "csv": "text/csv"}
CONTENT_TYPES["jsonld"] = "application/ld+json"
CONTENT_TYPES["api"] = "text/html"
# Good values of documented free-text parameters, which the schema cannot give (a slug must
# exist). A new parameter without an entry is tried with "x", and must then accept it.
GOOD_TEXT = {
    "occurred": "2015-08/2016",
    "since": "2015-01-01T00:00:00Z",
    "site": "palmyra",
    "monument": "palmyra/temple-of-bel",
    "bbox": "30,30,40,40",
    "search": "temple",
    "publisher": "Reuters",
    "language": "en",
    "occurred_after": "2015-01-01",
    "occurred_before": "2016-12-31",
    "published_after": "2015-01-01",
    "published_before": "2016-12-31",
}
MISSING_KEYS = ["999999999", "no-such-thing", "no-such-site/no-such-thing"]
UNDOCUMENTED = "colour"
# Accept headers a client may send: each is served (200) or refused (406), in JSON if refused.
ACCEPTS = [
    "",
    "*/*",
    "application/json",
    "application/json; indent=4",
    "text/html",
    "text/csv",
    "application/geo+json",
    "application/ld+json",
    "application/vnd.oai.openapi",
    "text/*",
    "image/png",
    "garbage",
]
# What the sweep must at least send, so that it cannot shrink unnoticed.
MINIMUM_REQUESTS = 5000


def api_routes() -> list[URLPattern]:
    """The API's URL patterns, without DRF's format-suffix twins (`reports.json`)."""
    _, resolver = get_resolver().namespace_dict["api"]

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif "format" not in pattern.pattern.regex.groupindex:
                yield pattern

    return list(walk(resolver.url_patterns))


def offered_formats(route: URLPattern) -> set[str]:
    view = route.callback.cls
    return {renderer.format for renderer in view().get_renderers()}


def bad_values(schema: dict) -> list[str]:
    item = schema.get("items", schema)
    if "enum" in item:
        return ["no-such-value"]
    kind, values = item.get("type"), []
    if kind == "integer":
        values = ["abc"]
        if "minimum" in item:
            values.append(str(item["minimum"] - 1))
        if "maximum" in item:
            values.append(str(item["maximum"] + 1))
    elif kind == "boolean":
        values = ["maybe"]
    elif item.get("format") == "date":
        values = ["2015-13-45"]
    elif "pattern" in item:
        values = ["!"]
    else:
        values = ["\x00"]
    if item.get("minLength"):
        values.append("")
    return values


def good_value(client, path: str, parameter: dict) -> str:
    name, schema = parameter["name"], parameter["schema"]
    item = schema.get("items", schema)
    if name == "cursor":  # from a `next` link, as clients get them
        page = client.get(path, {"page_size": 1}).json()
        return parse_qs(urlsplit(page["next"]).query)["cursor"][0]
    if "enum" in item:
        return str(item["enum"][0])
    if item.get("type") == "integer":
        return str(item.get("minimum", 1))
    if item.get("type") == "boolean":
        return "true"
    return GOOD_TEXT.get(name, "x")


def operation_parameters(openapi: dict, path: str) -> list[dict]:
    """The query parameters the document lists for the GET of `path`."""
    for template, operations in openapi["paths"].items():
        if re.fullmatch(re.sub(r"\\{[^}]+\\}", "[^?]+", template), path):
            return [p for p in operations["get"].get("parameters", []) if p["in"] == "query"]
    return []


@pytest.fixture
def retracted(demo, reviewer, django_capture_on_commit_callbacks) -> DamageReport:
    """A report the public once saw, citing an article no published report cites; and a
    second source, so that sources have a second page (and a cursor)."""
    with django_capture_on_commit_callbacks(execute=True):
        return _retracted(reviewer)


def _retracted(reviewer) -> DamageReport:
    palmyra = HeritageSite.objects.get(slug="palmyra")
    second = make_report(palmyra, summary="The theatre was damaged.")
    make_citation(second, make_article(title="A second source"))
    report_submit(report=second, by=None)
    report_publish(report=second, by=reviewer)
    report = make_report(palmyra, summary="Retracted.")
    make_citation(report, make_article(title="Only the retracted report cites this"))
    report_submit(report=report, by=None)
    report_publish(report=report, by=reviewer)
    return report_transition(report=report, to=Status.RETRACTED, by=reviewer, reason="Wrong.")


def addresses(client, route: URLPattern, retracted: DamageReport) -> list[tuple[str, str, int]]:
    """(kind, path, status expected of a plain GET) of each kind of address of `route`."""
    name = f"api:{route.name}"
    kwargs = list(route.pattern.regex.groupindex)
    if not kwargs:
        return [("list", reverse(name), 200)]
    listing = client.get(reverse(name.replace("-detail", "-list")), {"format": "json"})
    published = urlsplit(listing.json()["results"][0]["url"]).path
    found = [("published", published, 200)]
    for key in MISSING_KEYS:
        try:
            found.append(("missing", reverse(name, kwargs={kwargs[0]: key}), 404))
            break
        except NoReverseMatch:
            continue
    gone = {DamageReport: (retracted.pk, 410)}
    gone[SourceArticle] = (retracted.citations.get().article_id, 404)
    model = route.callback.cls.serializer_class.Meta.model
    if model in gone:
        key, status = gone[model]
        found.append(("retracted", reverse(name, kwargs={kwargs[0]: key}), status))
    return found


@pytest.fixture
def client() -> Client:
    """A client as browsers and curl are: CSRF checks on (Django's test client turns them off,
    which once hid 403 pages answering writes to /healthz and the photos)."""
    return Client(enforce_csrf_checks=True)


def test_the_whole_api_answers_every_request_as_documented(client, retracted, settings):
    settings.API_THROTTLE_RATE = "1000000/minute"
    openapi = client.get("/api/v1/schema/", {"format": "json"}).json()
    failures, sizes = [], Counter()
    routes = api_routes()
    assert {route.name for route in routes} >= {"api-root", "schema", "docs", "report-list"}

    for route in routes:
        offered = offered_formats(route)
        for kind, path, status_plain in addresses(client, route, retracted):
            parameters = operation_parameters(openapi, path)
            documented = [p["schema"]["enum"] for p in parameters if p["name"] == "format"]
            if parameters and documented != [sorted(offered)]:
                failures.append(f"{path} documents format {documented}, accepts {offered}")
            for accept in ACCEPTS:
                for method in ("GET", "HEAD"):
                    answer = client.generic(method, path, headers={"accept": accept})
                    problem = check_accept(answer, method, status_plain)
                    sizes["requests"] += 1
                    if problem:
                        failures.append(f"{method} {path} Accept: {accept!r} [{kind}]: {problem}")
            cases = [({}, None, status_plain)]  # (query, parameter under test, expected status)
            for parameter in parameters:
                name = parameter["name"]
                if name == "format":
                    continue  # swept below, on every case
                cases.append(({name: good_value(client, path, parameter)}, None, status_plain))
                cases += [({name: bad}, name, 400) for bad in bad_values(parameter["schema"])]
            cases.append(({UNDOCUMENTED: "red"}, UNDOCUMENTED, 400))
            sizes["parameter cases"] += len(cases)

            for query, refused, expected in cases:
                for format_ in FORMATS:
                    full = dict(query) if format_ is None else {**query, "format": format_}
                    if format_ is not None and format_ not in offered:
                        expected_now, refused_now = 400, "format"
                    elif format_ == "csv" and set(query) & {"cursor", "page_size"}:
                        expected_now, refused_now = 400, next(iter(query))
                    else:
                        expected_now, refused_now = expected, refused
                    for method in METHODS:
                        url = f"{path}?{urlencode(full)}" if full else path
                        answer = client.generic(method, url)
                        problem = check(answer, method, full, format_, expected_now, refused_now)
                        sizes["requests"] += 1
                        if problem:
                            failures.append(f"{method} {url} [{kind}]: {problem}")
        sizes["addresses"] += 1

    sizes["routes"], sizes["formats"], sizes["methods"] = len(routes), len(FORMATS), len(METHODS)
    print(f"\nAPI sweep: {dict(sizes)}")
    assert sizes["requests"] >= MINIMUM_REQUESTS
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:60])


def check(
    response, method: str, query: dict, format_: str | None, expected: int, refused: str | None
) -> str | None:
    """What is wrong with `response` to one request, or None."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    status = response.status_code
    if status >= 500:
        return f"{status}: {body[:200]!r}"
    if status >= 400 and method != "HEAD" and response.get("Content-Type") != "application/json":
        return f"{status} in {response.get('Content-Type')}: {body[:200]!r}"
    if method in ("TRACE", "POST", "PUT", "PATCH", "DELETE"):
        if status != 405:
            return f"{status}, expected 405"
        return None if response.get("Allow") == "GET, HEAD, OPTIONS" else "405 without Allow"
    if status == 400 and method != "HEAD":
        named = set(json.loads(body))
        if not named or not named <= set(query):
            return f"400 naming {sorted(named)}, sent {sorted(query)}"
        if refused and refused not in named:
            return f"400 not naming {refused}: {body[:200]!r}"
    if method == "OPTIONS":
        if status not in (200, 400):
            return f"{status} to OPTIONS"
        missing = [h for h in ("ETag", "Cache-Control") if status == 200 and not response.get(h)]
        return f"200 to OPTIONS without {missing}" if missing else None
    if status != expected:
        return f"{status}, expected {expected}: {body[:200]!r}"
    if status == 200:
        missing = [h for h in ("ETag", "Cache-Control", "Content-Type") if not response.get(h)]
        if missing:
            return f"200 without {missing}"
        wanted = CONTENT_TYPES.get(format_)
        if wanted and wanted not in response["Content-Type"]:
            return f"Content-Type {response['Content-Type']} for format={format_}"
    if status == 404 and "matches the given query" in body.decode(errors="replace"):
        return f"404 naming a model class: {body[:200]!r}"
    return None


def check_accept(response, method: str, expected: int) -> str | None:
    """What is wrong with `response` to a request with an Accept header and no parameter: it
    is the answer a plain request gets, or a 406 (nothing acceptable offered), errors in JSON."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    status = response.status_code
    if status not in (expected, 406):
        return f"{status}, expected {expected} or 406: {body[:200]!r}"
    if status >= 400 and method != "HEAD" and response.get("Content-Type") != "application/json":
        return f"{status} in {response.get('Content-Type')}: {body[:200]!r}"
    if status == 200 and not (response.get("ETag") and response.get("Cache-Control")):
        return "200 without ETag or Cache-Control"
    return None


def test_the_public_routes_outside_the_api_answer_every_method_as_documented(
    client, retracted, media_root, settings
):
    """/healthz and the photos: GET and HEAD only, every other method a JSON 405 with Allow;
    a photo not public a JSON 404 whatever the reason; public answers carry Cache-Control,
    photos an ETag."""
    settings.API_CACHE_MAX_AGE = 60
    published = DamageReport.objects.public().first()
    photo = evidence_attach(
        report=published,
        image=clean_upload(jpeg()),
        caption="The cella.",
        credit="A. Photographer",
        licence="cc-by-4.0",
    )
    hidden = evidence_attach(
        report=retracted,
        image=clean_upload(jpeg(colour="red")),
        caption="Retracted.",
        credit="A. Photographer",
        licence="cc-by-4.0",
    )
    paths = {"/healthz": 200, "/evidence/999999999/web/": 404}
    for variant, status in [("web", 200), ("thumbnail", 200), ("original", 404), ("x", 404)]:
        paths[f"/evidence/{photo.pk}/{variant}/"] = status
        paths[f"/evidence/{hidden.pk}/{variant}/"] = 404
    failures = []
    for path, expected in paths.items():
        for accept in ["", "*/*", "text/html", "garbage"]:
            for method in METHODS:
                response = client.generic(method, path, headers={"accept": accept})
                problem = check_outside(response, method, expected)
                if problem:
                    failures.append(f"{method} {path} Accept: {accept!r}: {problem}")
    # No such route: a JSON 404 to every method.
    for method in METHODS:
        response = client.generic(method, "/evidence/abc/web/")
        if response.status_code != 404 or response.get("Content-Type") != "application/json":
            failures.append(f"{method} /evidence/abc/web/: {response.status_code}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:60])


def check_outside(response, method: str, expected: int) -> str | None:
    status = response.status_code
    if method not in ("GET", "HEAD"):
        expected = 405
        if response.get("Allow") != "GET, HEAD":
            return f"{status} with Allow {response.get('Allow')!r}"
    if status != expected:
        return f"{status}, expected {expected}: {response.content[:200]!r}"
    if status >= 400 and method != "HEAD" and response.get("Content-Type") != "application/json":
        return f"{status} in {response.get('Content-Type')}: {response.content[:200]!r}"
    if status == 200 and not response.get("Cache-Control"):
        return "200 without Cache-Control"
    if status == 200 and "/evidence/" in response.request["PATH_INFO"]:
        if not response.get("ETag") or response["Cache-Control"] != "public, max-age=60":
            return f"photo with ETag {response.get('ETag')!r}, {response['Cache-Control']!r}"
    return None
