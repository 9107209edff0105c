"""EDTF: one conversion each way between a report's date fields and EDTF, its span, the admin's
EDTF box and the API's `occurred` filter."""

import datetime

import pytest

from reports.event_dates import EdtfError, EventDate, parse_edtf, parse_edtf_span
from reports.models import DamageReport
from reports.vocabularies import DatePrecision
from tests.factories import make_monument, make_published_report

D = datetime.date
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR

# (EDTF, the date it records, its first and last possible day)
CANONICAL = [
    ("2015-08-30", EventDate(D(2015, 8, 30)), D(2015, 8, 30), D(2015, 8, 30)),
    ("2015-05", EventDate(D(2015, 5, 1), MONTH), D(2015, 5, 1), D(2015, 5, 31)),
    ("2015", EventDate(D(2015, 1, 1), YEAR), D(2015, 1, 1), D(2015, 12, 31)),
    ("2015~", EventDate(D(2015, 1, 1), YEAR, True), D(2014, 1, 1), D(2016, 12, 31)),
    ("2015-06~", EventDate(D(2015, 6, 1), MONTH, True), D(2015, 5, 1), D(2015, 7, 31)),
    ("2015-12~", EventDate(D(2015, 12, 1), MONTH, True), D(2015, 11, 1), D(2016, 1, 31)),
    ("2015-08-25~", EventDate(D(2015, 8, 25), DAY, True), D(2015, 8, 24), D(2015, 8, 26)),
    (
        "2016-12-26/2017-01-10",
        EventDate(D(2016, 12, 26), DAY, False, D(2017, 1, 10), DAY),
        D(2016, 12, 26),
        D(2017, 1, 10),
    ),
    (
        "2015-05/2016-03-27",
        EventDate(D(2015, 5, 1), MONTH, False, D(2016, 3, 27), DAY),
        D(2015, 5, 1),
        D(2016, 3, 27),
    ),
    (
        "2015-06~/2015-09-02",
        EventDate(D(2015, 6, 1), MONTH, True, D(2015, 9, 2), DAY),
        D(2015, 5, 1),
        D(2015, 9, 2),
    ),
    (
        "2015/2016~",
        EventDate(D(2015, 1, 1), YEAR, False, D(2016, 1, 1), YEAR, True),
        D(2015, 1, 1),
        D(2017, 12, 31),
    ),
]


@pytest.mark.parametrize(("text", "date", "first", "last"), CANONICAL)
def test_edtf_and_the_date_fields_convert_both_ways(text, date, first, last):
    assert parse_edtf(text) == date
    assert date.edtf == text
    assert date.span() == (first, last)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2015-XX", EventDate(D(2015, 1, 1), YEAR)),  # unspecified digits: the year
        ("2015-05-XX", EventDate(D(2015, 5, 1), MONTH)),
        ("201X", EventDate(D(2010, 1, 1), YEAR, False, D(2019, 1, 1), YEAR)),  # a decade
        ("2015-21", EventDate(D(2015, 3, 1), MONTH, False, D(2015, 5, 1), MONTH)),  # spring
        (" 2015-05 ", EventDate(D(2015, 5, 1), MONTH)),
    ],
)
def test_other_edtf_forms_are_recorded_as_the_period_they_stand_for(text, date):
    assert parse_edtf(text) == date
    assert parse_edtf(date.edtf) == date  # and what we write back reads the same


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "Give an EDTF date"),
        ("2015?", "uncertain"),
        ("2015%", "uncertain"),
        ("2015-02-30", "not an EDTF date"),
        ("2015-13", "not an EDTF date"),
        ("30 August 2015", "not an EDTF date"),
        ("2016/2015", "before its start"),
        ("2015/..", "known start and end"),
        ("../2015", "known start and end"),
        ("-0044", "common era"),
        ("2015-08-30T10:00:00", "a day, a month, a year"),
        ("2015" * 30, "Too long"),
        ("2015\x00", "not an EDTF date"),
    ],
)
def test_what_cannot_be_recorded_is_refused_saying_why(text, says):
    with pytest.raises(EdtfError, match=says):
        parse_edtf(text)


def test_approximate_dates_at_the_ends_of_the_calendar_stop_there():
    """Found by an outside probe: `9999~` and `0001-01-01~` overflowed (a 500 in the filter)."""
    assert parse_edtf("9999~").span() == (D(9998, 1, 1), D(9999, 12, 31))
    assert parse_edtf("9999-12~").span()[1] == D(9999, 12, 31)
    assert parse_edtf("0001-01-01~").span()[0] == D(1, 1, 1)


def test_a_search_interval_may_be_open_at_either_end():
    assert parse_edtf_span("2015-05/..") == (D(2015, 5, 1), None)
    assert parse_edtf_span("../2016") == (None, D(2016, 12, 31))
    assert parse_edtf_span("2015-08") == (D(2015, 8, 1), D(2015, 8, 31))
    with pytest.raises(EdtfError):
        parse_edtf_span("../..")


@pytest.mark.django_db
def test_a_report_stores_its_span_and_shows_its_edtf(client):
    report = make_published_report(
        monument=make_monument(), occurred_on=D(2015, 6, 20), occurred_on_approximate=True
    )
    report.refresh_from_db()
    assert (report.occurred_earliest, report.occurred_latest) == (D(2015, 6, 19), D(2015, 6, 21))
    shown = client.get(f"/api/v1/reports/{report.pk}/").json()
    assert shown["occurred_edtf"] == "2015-06-20~"
    assert shown["occurred"] == "about 20 June 2015"
    assert (shown["occurred_earliest"], shown["occurred_latest"]) == ("2015-06-19", "2015-06-21")
    row = client.get(f"/api/v1/reports/{report.pk}/?format=csv").content.decode()
    assert "2015-06-20~" in row


@pytest.mark.django_db
def test_the_occurred_filter_finds_reports_whose_span_overlaps(client):
    monument = make_monument()
    exact = make_published_report(monument=monument, occurred_on=D(2015, 8, 30))
    around = make_published_report(
        monument=monument, occurred_on=D(2015, 7, 1), occurred_on_precision=MONTH,
        occurred_on_approximate=True,
    )  # fmt: skip
    period = make_published_report(
        monument=monument, occurred_on=D(2016, 12, 26), occurred_until=D(2017, 1, 10)
    )

    def found(value: str) -> set[int]:
        response = client.get("/api/v1/reports/", {"occurred": value, "page_size": 100})
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert found("2015-08") == {exact.pk, around.pk}  # July 2015~ reaches into August
    assert found("2015-08-31/2015-09") == {around.pk}  # its span ends on 31 August
    assert found("2015-09/2016-11") == set()
    assert found("2017-01-05") == {period.pk}
    assert found("2016/..") == {period.pk}
    assert found("../2015-06-30") == {around.pk}  # June is a month from July
    assert found("2015") == {exact.pk, around.pk}
    refused = client.get("/api/v1/reports/", {"occurred": "2015?"})
    assert refused.status_code == 400 and "uncertain" in refused.json()["occurred"][0]


@pytest.mark.django_db
def test_the_admin_takes_a_date_typed_in_edtf(admin_client):
    from tests.reports.test_admin import admin_url, report_form

    monument = make_monument()
    data = report_form(monument) | {
        "summary": "Typed in EDTF.",
        "damage_type": "explosives",
        "extent": "destroyed",
        "occurred_on": "",
        "occurred_edtf": "2015-06~/2015-09-02",
    }
    response = admin_client.post(admin_url(DamageReport, "add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    report = DamageReport.objects.get(summary="Typed in EDTF.")
    assert report.event_date == EventDate(D(2015, 6, 1), MONTH, True, D(2015, 9, 2), DAY)
    # A bad EDTF date is a form error naming what is wrong, and nothing is saved.
    data |= {"summary": "Bad.", "occurred_edtf": "2015?"}
    response = admin_client.post(admin_url(DamageReport, "add"), data)
    assert response.status_code == 200
    assert "uncertain" in str(response.context["adminform"].form.errors["occurred_edtf"])
    assert not DamageReport.objects.filter(summary="Bad.").exists()
    # Neither the fields nor the EDTF box: the form says to give one.
    data |= {"occurred_edtf": ""}
    response = admin_client.post(admin_url(DamageReport, "add"), data)
    assert "Give the date" in str(response.context["adminform"].form.errors["occurred_on"])


@pytest.mark.django_db
def test_an_unchanged_edtf_box_leaves_the_date_fields_in_charge(admin_client):
    from tests.reports.test_admin import admin_url, change_form

    report = make_published_report(monument=make_monument(), occurred_on=D(2015, 8, 30))
    data = change_form(report, occurred_on="2015-09-01", occurred_on_precision="day")
    data |= {
        "certainty": report.certainty,
        "assessment_basis": report.assessment_basis,
        "occurred_edtf": "2015-08-30",  # as the page showed it
        "initial-occurred_edtf": "2015-08-30",
    }
    response = admin_client.post(admin_url(DamageReport, "change", report.pk), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    report.refresh_from_db()
    assert report.occurred_on == D(2015, 9, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2015%x", "%s%s", "%(a)s", "2015%"])
def test_a_percent_sign_in_an_occurred_value_is_a_400_quoting_it(client, value):
    """django-filter formats its messages with %: a message quoting the client's text once
    made "2015%x" a 500."""
    response = client.get("/api/v1/reports/", {"occurred": value})
    assert response.status_code == 400
    assert response.json()["occurred"][0].startswith(value)
    assert client.get("/search/", {"occurred": value}).status_code == 200  # a form error
