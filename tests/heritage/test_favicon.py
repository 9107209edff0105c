"""The tab icon: linked from every admin page, and at /favicon.ico for every other page."""

import io

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_with_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    icon = Image.open(io.BytesIO(response.content))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.ico.sizes()


def test_favicon_ico_is_the_static_file(client):
    with open(finders.find("favicon.ico"), "rb") as file:
        assert client.get("/favicon.ico").content == file.read()
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/"])
def test_admin_pages_link_the_icon(admin_client, client, url):
    page = (admin_client if url == "/admin/" else client).get(url)
    assert page.status_code == 200
    assert f'<link rel="icon" href="{static("favicon.ico")}"' in page.content.decode()


def test_the_linked_icons_are_served_as_static_files(settings):
    # As in debug mode (`make run`), where WhiteNoise serves from the source folders; in
    # production collectstatic copies the same files.
    settings.WHITENOISE_USE_FINDERS = True
    client = Client()
    for name, kind in [("favicon.ico", "ICO"), ("favicon.png", "PNG")]:
        response = client.get(static(name))
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content)
        assert Image.open(io.BytesIO(body)).format == kind
