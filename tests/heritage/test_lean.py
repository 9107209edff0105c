"""Reads of the API go past the middleware for curators and pages (heritage/lean.py); every
other request still goes through it."""

import pytest
from django.test import Client

from heritage.api.viewsets import PublicViewSet  # noqa: F401 (the API is loaded)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_an_api_read_answers_in_english_without_a_session_or_a_language(client, demo):
    response = client.get(f"{API}/reports/99999/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 404
    assert response.json() == {"detail": "No published report has this id."}
    assert "Content-Language" not in response
    assert "Cookie" not in response.get("Vary", "")
    assert "sessionid" not in response.cookies


def test_a_page_follows_its_address_s_language_and_the_admin_the_browser_s(
    client, demo, admin_user
):
    assert client.get("/ar/").headers["Content-Language"] == "ar"
    client.force_login(admin_user)
    admin = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ar")
    assert admin.headers["Content-Language"] == "ar"
    assert "إدارة" in admin.content.decode() or "الموقع" in admin.content.decode()


def test_writes_outside_the_api_still_need_their_csrf_token(demo, admin_user):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/admin/login/", {"username": admin_user.username, "password": "password"}
    )
    assert response.status_code == 403


def test_a_curator_s_session_and_messages_still_work_in_the_admin(admin_client, demo):
    response = admin_client.get("/admin/reports/damagereport/")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_superuser


def test_an_api_read_after_an_arabic_page_on_the_same_thread_is_in_english(client, demo):
    assert client.get("/ar/search/?country=S").status_code == 200  # Arabic errors there
    response = client.get(f"{API}/reports/", {"country": "S"})
    assert response.status_code == 400
    assert response.json() == {"country": ["Not an ISO 3166-1 alpha-2 country code (e.g. SY)."]}


def test_a_request_for_another_host_is_a_400_logged_only_as_its_request_line(client, demo):
    import logging

    response = client.get(f"{API}/reports/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    # Django's own traceback for it goes nowhere (pytest hangs its capture on every logger,
    # so what is configured is checked rather than what pytest caught).
    security = logging.getLogger("django.security.DisallowedHost")
    assert not security.propagate
    assert all(
        isinstance(h, logging.NullHandler) or type(h).__module__.startswith("_pytest")
        for h in security.handlers
    )
