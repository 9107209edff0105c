"""Addresses typed by hand into the admin: a bad number, year or date is a 404 or the admin's
"bad filter" redirect, never a 500."""

import pytest

from reports.models import DamageReport, SourceArticle
from sites.models import Monument
from tests.admin_pages import admin_url, registered_models
from tests.factories import make_article, make_monument, make_report

pytestmark = pytest.mark.django_db

TOO_BIG = "99999999999999999999"
NOT_NUMBERS = ["abc", "1.5", TOO_BIG, "²", "%C2%B2", "-1"]


def test_every_admin_page_of_a_record_with_no_such_number_is_not_a_server_error(admin_client):
    """Every registered admin's change, delete and history pages, and its history's versions,
    with keys no record can have: the admin's "no such record" redirect or a 404."""
    failures = []
    for model in registered_models():
        for key in NOT_NUMBERS:
            pages = ["change", "delete", "history"]
            urls = [admin_url(model, page, 1).replace("/1/", f"/{key}/") for page in pages]
            if hasattr(model, "history"):
                urls.append(admin_url(model, "history", 1) + f"{key}/")
            for url in urls:
                status = admin_client.get(url).status_code
                if status not in (302, 404):
                    failures.append(f"{url}: {status}")
    assert failures == []


@pytest.mark.parametrize("key", NOT_NUMBERS)
@pytest.mark.parametrize("model", [DamageReport, Monument, SourceArticle])
def test_a_history_address_with_no_such_number_is_not_found(admin_client, model, key):
    report = make_report(monument=make_monument())
    obj = {DamageReport: report, Monument: report.monument, SourceArticle: make_article()}[model]
    history = admin_url(model, "history", obj.pk)
    assert admin_client.get(history.replace(f"/{obj.pk}/", f"/{key}/")).status_code == 404
    version = obj.history.first().history_id
    assert admin_client.get(f"{history}{version}/").status_code == 200
    assert admin_client.get(f"{history}{key}/").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "occurred=0",
        f"occurred={TOO_BIG}",
        "occurred=²",
        "occurred=10000",
        "site=²",
        f"site={TOO_BIG}",
    ],
)
def test_a_bad_filter_value_is_the_admins_bad_filter_redirect(admin_client, query):
    make_report(monument=make_monument())
    for model in (DamageReport, Monument):
        response = admin_client.get(f"{admin_url(model, 'changelist')}?{query}")
        if model is Monument and query.startswith("occurred"):
            assert response.status_code in (200, 302)  # not a filter of monuments
            continue
        assert response.status_code == 302, (model, query)
        assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("year", ["9999", "0", TOO_BIG, "²", "abc"])
def test_a_date_hierarchy_year_that_cannot_be_is_a_bad_filter(admin_client, year):
    make_article()
    url = f"{admin_url(SourceArticle, 'changelist')}?published_on__year={year}"
    response = admin_client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
    assert admin_client.get(f"{admin_url(SourceArticle, 'changelist')}?published_on__year=2015")


@pytest.mark.parametrize("param", ["site", "report"])
def test_the_monument_box_ignores_a_number_no_record_can_have(admin_client, param):
    make_report(monument=make_monument())
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "reports",
            "model_name": "evidence",
            "field_name": "monument",
            param: TOO_BIG,
        },
    )
    assert response.status_code == 200


def test_an_article_or_damage_dated_in_the_future_is_a_form_error(admin_client):
    from tests.reports.test_admin import report_form

    response = admin_client.post(
        admin_url(SourceArticle, "add"),
        {"title": "From the future", "published_on": "9999-12-31", "language": "en"},
    )
    assert response.status_code == 200
    assert "cannot be dated in the future" in str(response.context["errors"])
    response = admin_client.post(
        admin_url(DamageReport, "add"), report_form(make_monument(), occurred_on="9999-12-31")
    )
    assert response.status_code == 200
    assert "cannot be dated in the future" in str(response.context["errors"])


@pytest.mark.parametrize(
    "query",
    [
        "occurred_on__year=0",
        "occurred_on__year=-1",
        "occurred_on__year=10000",
        "occurred_on__year__gte=0",
        "occurred_until__year=0",
        "observed_on__year=0",
        "published_at__year=0",
        "submitted_at__year=10000",
    ],
)
def test_a_year_no_date_can_be_in_is_a_bad_filter_in_any_date_lookup(admin_client, query):
    make_report(monument=make_monument())
    for page in ("changelist", "export"):
        response = admin_client.get(f"{admin_url(DamageReport, page)}?{query}")
        assert response.status_code == 302, (page, query)
        assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("query", ["format=csv", "foo=1", "site=abc"])
def test_the_export_page_with_a_parameter_it_cannot_apply_is_a_bad_filter(admin_client, query):
    from sites.models import HeritageSite

    make_report(monument=make_monument())
    for model in (HeritageSite, Monument, DamageReport):
        response = admin_client.get(f"{admin_url(model, 'export')}?{query}")
        assert response.status_code == 302, (model, query)
        assert response["Location"].endswith("?e=1")
    assert admin_client.get(admin_url(DamageReport, "export")).status_code == 200


def number_lookups(model) -> list[str]:
    """Every way an address can filter `model` on a whole number: its key and number fields,
    plain and with lookups, and each relation by its key (`report=`)."""
    from django.db import models

    names = ["pk", "id"]
    for field in model._meta.get_fields():
        if isinstance(field, models.IntegerField | models.AutoField) or (
            field.many_to_one and field.concrete
        ):
            names.append(field.name)
    return [f"{name}{lookup}" for name in names for lookup in ("", "__exact", "__in", "__gte")]


@pytest.mark.parametrize(
    "number", ["9223372036854775808", TOO_BIG, "-9223372036854775809", "9" * 5000]
)
def test_a_number_no_column_can_hold_is_a_bad_filter_in_any_lookup(admin_client, number):
    """Found by an outside probe: `?id__in=9223372036854775808` (or `?report=` with twenty
    digits) was a 500 on SQLite, on every changelist; Django's own user and group pages too."""
    make_report(monument=make_monument())
    failures, tried = [], 0
    for model in registered_models():
        changelist = admin_url(model, "changelist")
        for lookup in number_lookups(model):
            for value in (number, f"1,{number}"):
                tried += 1
                status = admin_client.get(changelist, {lookup: value}).status_code
                if status not in (200, 302):
                    failures.append(f"{changelist}?{lookup}={value[:30]}: {status}")
    assert failures == []
    assert tried > 200
    largest = admin_client.get(
        admin_url(Monument, "changelist"), {"id__in": "9223372036854775807"}
    )
    assert largest.status_code == 200  # the largest key is a number like any other


@pytest.mark.parametrize("chosen", ["abc", "", "1.5", "9223372036854775808", TOO_BIG])
def test_an_action_on_a_record_no_number_can_be_is_refused_with_a_message(admin_client, chosen):
    """Found by an outside probe: a forged action form choosing `abc` was a 500 on reports and
    photos."""
    report = make_report(monument=make_monument())
    failures = []
    for model in registered_models():
        url = admin_url(model, "changelist")
        action_form = admin_client.get(url).context["action_form"]
        actions = action_form.fields["action"].choices if action_form else []
        for action, _ in actions:
            if not action:
                continue
            response = admin_client.post(
                url, {"action": action, "_selected_action": [str(report.pk), chosen], "index": 0}
            )
            if response.status_code != 302:
                failures.append(f"{url} {action}: {response.status_code}")
    assert failures == []
    assert DamageReport.objects.filter(pk=report.pk).exists()  # nothing done
