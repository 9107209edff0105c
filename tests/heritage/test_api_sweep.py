"""A sweep of the whole public API: every route (read from the URL resolver, so a new one is
swept without touching this file) x every format x every kind of address (list, published
detail, missing detail, retracted detail) x no parameter, each parameter the OpenAPI document
lists for the route with a good and with bad values, and an undocumented one x every method.

Never a 5xx; a 400 names, in its JSON body, the parameters it refuses (and only parameters that
were sent); each documented parameter is accepted with a good value and refused with a bad
one; a 200 to GET or HEAD carries ETag, Cache-Control and the Content-Type of its format. Run
with -s to see the sweep's size."""

import json
import re
from collections import Counter
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from reports.models import DamageReport, SourceArticle
from reports.services import report_publish, report_submit, report_transition
from reports.vocabularies import Status
from sites.models import HeritageSite
from tests.factories import make_article, make_citation, make_report

pytestmark = pytest.mark.django_db

FORMATS = [None, "json", "api", "csv", "geojson", "bogus"]
METHODS = ["GET", "HEAD", "OPTIONS", "TRACE", "POST", "PUT", "PATCH", "DELETE"]
CONTENT_TYPES = {"json": "json", "geojson": "application/geo+json", "csv": "text/csv"}
CONTENT_TYPES["api"] = "text/html"
# Good values of documented free-text parameters, which the schema cannot give (a slug must
# exist). A new parameter without an entry is tried with "x", and must then accept it.
GOOD_TEXT = {
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
def retracted(demo, reviewer) -> DamageReport:
    """A report the public once saw, citing an article no published report cites; and a
    second source, so that sources have a second page (and a cursor)."""
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
    if method in ("TRACE", "POST", "PUT", "PATCH", "DELETE"):
        return None if status == 405 else f"{status}, expected 405"
    if status == 400 and method != "HEAD" and "json" in response.get("Content-Type", ""):
        named = set(json.loads(body))
        if not named or not named <= set(query):
            return f"400 naming {sorted(named)}, sent {sorted(query)}"
        if refused and refused not in named:
            return f"400 not naming {refused}: {body[:200]!r}"
    if method == "OPTIONS":
        return None if status in (200, 400) else f"{status} to OPTIONS"
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
