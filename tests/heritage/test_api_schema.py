"""The OpenAPI document and the answers agree, field by field, for every demo record: each
answer validates against its operation's schema, and every object in it has exactly the
properties the document lists (the shapes are made by */representations.py, the document
by the serializers: this is what holds them together)."""

import re
from urllib.parse import urlsplit

import pytest
from openapi_schema_validator import OAS30Validator

from reports.images import clean_upload
from reports.services import evidence_attach
from sites.models import HeritageSite
from tests.factories import make_published_report, make_site
from tests.images import jpeg

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def records(demo):
    """The demo, with a site-wide report carrying a photo and a sensitive site, so that every
    optional part of every shape is shown at least once."""
    site_wide = make_published_report(make_site(), summary="No monument named.")
    evidence_attach(
        report=site_wide,
        image=clean_upload(jpeg()),
        caption="After.",
        credit="A.",
        licence="cc-by-4.0",
    )
    HeritageSite.objects.filter(slug="aleppo").update(location_is_sensitive=True)


def resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        *_, name = schema["$ref"].split("/")
        schema = document["components"]["schemas"][name]
    if "oneOf" in schema:  # an object or null (nullable_references)
        return resolve(document, schema["oneOf"][0])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return resolve(document, schema["allOf"][0])
    return schema


def keys_as_documented(document: dict, schema: dict, value, where: str) -> list[str]:
    """Where an object in `value` has properties the schema does not list, or lacks ones it
    lists (an optional property left out is still a disagreement: we always send them)."""
    schema = resolve(document, schema)
    problems = []
    if isinstance(value, dict) and "properties" in schema and "additionalProperties" not in schema:
        documented, sent = set(schema["properties"]), set(value)
        if documented != sent:
            problems.append(
                f"{where}: documented {sorted(documented - sent)} not sent, "
                f"sent {sorted(sent - documented)} not documented"
            )
        for name in documented & sent:
            problems += keys_as_documented(
                document, schema["properties"][name], value[name], f"{where}.{name}"
            )
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += keys_as_documented(document, schema["items"], item, f"{where}[{i}]")
    return problems


def answer_schema(document: dict, path: str) -> dict:
    """The 200 JSON schema of the operation serving `path`."""
    for template, operations in document["paths"].items():
        pattern = template.replace("{key}", "[^/]+/[^/]+")
        for name in ("{slug}", "{id}"):
            pattern = pattern.replace(name, "[^/]+")
        if re.fullmatch(pattern, path):
            return operations["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    raise AssertionError(f"no operation serves {path}")


def test_every_answer_for_every_demo_record_is_as_the_document_says(client, records):
    document = client.get(f"{API}/schema/", {"format": "json"}).json()
    checked, problems = 0, []
    for resource in ("sites", "monuments", "reports", "sources"):
        listing = client.get(f"{API}/{resource}/", {"page_size": 500})
        assert listing.status_code == 200
        paths = [f"{API}/{resource}/"] + [
            urlsplit(item["url"]).path for item in listing.json()["results"]
        ]
        assert len(paths) > 2, resource
        for path in paths:
            answer = client.get(path, {"page_size": 500} if path.endswith(f"{resource}/") else {})
            assert answer.status_code == 200, path
            schema = answer_schema(document, path)
            validator = OAS30Validator({**schema, "components": document["components"]})
            problems += [
                f"{path}: {error.message}" for error in validator.iter_errors(answer.json())
            ]
            problems += keys_as_documented(document, schema, answer.json(), path)
            checked += 1
    assert not problems, "\n".join(problems[:20])
    assert checked > 30  # every demo site, monument, report and source, and the four lists
