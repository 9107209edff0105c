"""The reports as CSV: one report as a row of the list's columns, and HTTP caching of the
streamed list."""

import csv
import io

import pytest

from reports.models import DamageReport
from reports.services import report_transition
from reports.vocabularies import Status
from tests.api_data import make_world

pytestmark = pytest.mark.django_db

API = "/api/v1"


def csv_rows(response) -> tuple[list[str], list[dict]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    reader = csv.DictReader(io.StringIO(body.decode()))
    return list(reader.fieldnames), list(reader)


@pytest.mark.parametrize("how", ["format", "accept"])
def test_one_report_as_csv_is_one_row_with_the_lists_columns(client, demo, how):
    report = DamageReport.objects.public().order_by("pk").first()
    url = f"{API}/reports/{report.pk}/"
    if how == "format":
        response = client.get(url, {"format": "csv"})
    else:
        response = client.get(url, headers={"accept": "text/csv"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="damage-report-{report.pk}.csv"'
    )
    assert response["ETag"] and "public" in response["Cache-Control"]
    columns, (row,) = csv_rows(response)
    list_columns, list_rows = csv_rows(client.get(f"{API}/reports/", {"format": "csv"}))
    assert columns == list_columns
    assert row == next(r for r in list_rows if r["id"] == str(report.pk))


def test_a_missing_or_retracted_report_as_csv_is_a_json_404_or_410(client, demo, reviewer):
    response = client.get(f"{API}/reports/999999/", {"format": "csv"})
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": "No published report has this id."}
    report = DamageReport.objects.public().first()
    report_transition(report=report, to=Status.RETRACTED, by=reviewer, reason="Misdated.")
    response = client.get(f"{API}/reports/{report.pk}/", {"format": "csv"})
    assert (response.status_code, response["Content-Type"]) == (410, "application/json")


def test_the_csv_list_carries_an_etag_and_answers_304_without_reading_the_reports(
    client, demo, django_assert_num_queries
):
    url = f"{API}/reports/?format=csv&damage_type=explosives"
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert first["Cache-Control"] == "public, max-age=60"
    assert client.get(url)["ETag"] == etag
    # Another filter, another answer.
    assert client.get(f"{API}/reports/?format=csv")["ETag"] != etag
    with django_assert_num_queries(1):  # the public data version only
        again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert "public" in again["Cache-Control"]


def test_the_csv_detail_answers_304_to_a_repeated_conditional_get(client):
    world = make_world()
    url = f"{API}/reports/{world['published'][0].pk}/?format=csv"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
