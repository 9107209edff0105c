"""Schemathesis generates requests from our OpenAPI document (valid and invalid parameter
values alike) and checks every answer: never a 5xx, and always what the document promises."""

import json
import os

import jsonschema
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from reports.models import DamageReport
from tests.api_data import make_world

pytestmark = pytest.mark.django_db

OPERATIONS = [
    "GET /api/v1/sites/",
    "GET /api/v1/sites/{slug}/",
    "GET /api/v1/monuments/",
    "GET /api/v1/monuments/{key}/",
    "GET /api/v1/reports/",
    "GET /api/v1/reports/{id}/",
    "GET /api/v1/sources/",
    "GET /api/v1/sources/{id}/",
    "GET /api/v1/changes/",
    "GET /api/v1/changes/{id}/",
    "GET /api/v1/context.jsonld",
]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The app runs in-process on the test's database connection (and so sees its data).
    Like Django's test client, stop each request's end from closing that connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_document_lists_every_operation_fuzzed_here():
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=str)
@pytest.mark.parametrize("label", OPERATIONS)
def test_the_api_keeps_its_documented_promises(label, mode):
    make_world()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())
    operation = schema.find_operation_by_label(label)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        # The same examples every run, so CI never flakes; FUZZ_EXPLORE=1 draws new ones.
        derandomize=not os.environ.get("FUZZ_EXPLORE"),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case):
        # Every check but two. "Schema-valid input is accepted" cannot hold where validity is
        # semantic (a monument key must exist, a cursor must come from a link). "Invalid input
        # is rejected" does not hold by design for an empty parameter, which means no filter
        # (the browsable API's filter form sends them). What is left: never a 5xx, and every
        # answer as documented. test_the_document_and_the_server_agree_on_the_edges below
        # holds the edges where they once disagreed.
        case.call_and_validate(excluded_checks=[positive_data_acceptance, negative_data_rejection])

    check()


# Edges where the document and the server once disagreed: (operation, query, status). The
# document must call each parameter valid exactly when the server accepts it, except where a
# combination is refused (format=csv takes no paging), which the parameters' descriptions say.
EDGES = [
    ("GET /api/v1/sites/", {"ordering": ["no-such-field"]}, 400),
    ("GET /api/v1/sites/", {"ordering": ["-in_danger_since", "name"]}, 200),
    ("GET /api/v1/monuments/", {"ordering": ["kind"]}, 200),
    ("GET /api/v1/monuments/", {"ordering": ["description"]}, 400),
    ("GET /api/v1/reports/", {"ordering": "no-such-field"}, 400),
    ("GET /api/v1/reports/", {"ordering": "-published_at"}, 200),
    ("GET /api/v1/sites/", {"page_size": 0}, 400),
    ("GET /api/v1/monuments/", {"page_size": 0}, 400),
    ("GET /api/v1/sites/", {"page_size": 501}, 400),
    ("GET /api/v1/sites/", {"page_size": 500}, 200),
    ("GET /api/v1/sites/", {"page": 0}, 400),
    ("GET /api/v1/sites/", {"page": 1}, 200),
    ("GET /api/v1/reports/", {"page_size": 0}, 400),
    ("GET /api/v1/sources/", {"page_size": 501}, 400),
    ("GET /api/v1/reports/", {"cursor": ""}, 400),
    ("GET /api/v1/sources/", {"cursor": ""}, 400),
    ("GET /api/v1/reports/", {"format": ""}, 400),
    ("GET /api/v1/sites/", {"format": ""}, 400),
    ("GET /api/v1/sites/", {"format": "csv"}, 400),
    ("GET /api/v1/reports/", {"format": "geojson"}, 400),
    ("GET /api/v1/reports/", {"format": "csv"}, 200),
    ("GET /api/v1/reports/{id}/", {"format": "csv"}, 200),
    ("GET /api/v1/reports/", {"format": "csv", "page_size": 10}, 400),
    ("GET /api/v1/reports/", {"format": "csv", "cursor": "abc"}, 400),
    # Every operation documents the formats it offers, the browsable API's `api` included.
    ("GET /api/v1/sources/", {"format": "json"}, 200),
    ("GET /api/v1/sources/{id}/", {"format": "json"}, 200),
    ("GET /api/v1/sources/", {"format": "api"}, 200),
    ("GET /api/v1/sources/", {"format": "csv"}, 400),
    ("GET /api/v1/sources/{id}/", {"format": ""}, 400),
    ("GET /api/v1/sites/", {"format": "api"}, 200),
    ("GET /api/v1/sites/{slug}/", {"format": "api"}, 200),
    ("GET /api/v1/monuments/", {"format": "api"}, 200),
    ("GET /api/v1/reports/", {"format": "api"}, 200),
    ("GET /api/v1/reports/{id}/", {"format": "api"}, 200),
    ("GET /api/v1/reports/{id}/", {"format": "geojson"}, 400),
    ("GET /api/v1/sites/", {"format": "api", "page_size": 0}, 400),
]


@pytest.mark.parametrize(("label", "query", "status"), EDGES, ids=str)
def test_the_document_and_the_server_agree_on_the_edges(label, query, status):
    world = make_world()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler())
    operation = schema.find_operation_by_label(label)
    parameters = {p["name"]: p for p in operation.definition.raw["parameters"]}
    report = DamageReport.objects.public().order_by("pk").first() or world["published"][0]
    path_parameters = {}
    if label.startswith("GET /api/v1/reports/{id}/"):
        path_parameters = {"id": report.pk}
    elif label.startswith("GET /api/v1/sources/{id}/"):
        path_parameters = {"id": report.citations.first().article_id}
    elif "{slug}" in label:
        path_parameters = {"slug": report.site.slug}
    case = operation.Case(query=query, path_parameters=path_parameters)

    response = case.call()
    # As documented: the status is listed, the body matches its schema, and so on.
    case.validate_response(
        response, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )
    assert response.status_code == status, response.text
    if status == 400:
        assert set(json.loads(response.text)) & set(query), response.text

    documented_valid = all(
        jsonschema.Draft4Validator(parameters[name]["schema"]).is_valid(value)
        for name, value in query.items()
    )
    combination = query.get("format") == "csv" and {"cursor", "page_size"} & set(query)
    if combination:
        for name in {"cursor", "page_size"} & set(query):
            assert "Not with format=csv" in parameters[name]["description"]
    else:
        assert documented_valid == (status == 200), "the document says otherwise"
