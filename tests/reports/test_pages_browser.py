"""The public pages in a real browser (Debian's Chromium, driven by Playwright): every page in
English and Arabic, on a desktop and a phone screen, with a screenshot of each saved under
var/screenshots/; axe-core (vendored from the npm registry in tests/vendor/) finds no serious
or critical accessibility violation; the map draws its markers from our own static files, and
no request leaves the machine except for map tiles (refused here: the pages must work
without them)."""

import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings

from reports.models import DamageReport
from tests.conftest import SCREENSHOTS

AXE = Path(__file__).parents[1] / "vendor" / "axe-core-4.14.1" / "axe.min.js"
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def pages_of_the_demo() -> dict[str, str]:
    report = DamageReport.objects.public().order_by("pk").first()
    article = report.citations.first().article
    return {
        "home": "/",
        "sites": "/sites/",
        "site": "/sites/palmyra/",
        "monument": "/sites/palmyra/temple-of-bel/",
        "report": f"/reports/{report.pk}/",
        "source": f"/sources/{article.pk}/",
        "search": "/search/?q=temple",
    }


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_in_both_languages_on_desktop_and_phone(demo, live_server, browser, language):
    tiles_host = urllib.parse.urlsplit(
        settings.MAP_TILE_URL.replace("{", "").replace("}", "")
    ).hostname
    ours = urllib.parse.urlsplit(live_server.url).netloc
    outside: list[str] = []

    def route(route_request):
        url = urllib.parse.urlsplit(route_request.request.url)
        if url.netloc == ours:
            route_request.continue_()
        else:
            if url.hostname != tiles_host:
                outside.append(route_request.request.url)
            route_request.abort()  # offline: tiles refused too

    prefix = "" if language == "en" else "/ar"
    for name, path in pages_of_the_demo().items():
        for screen, (width, height) in VIEWPORTS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", route)
            response = page.goto(f"{live_server.url}{prefix}{path}")
            assert response.status == 200, path
            page.wait_for_load_state("load")
            html = page.locator("html")
            assert html.get_attribute("lang") == ("ar" if language == "ar" else "en-gb")
            assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
            if page.locator("#map").count():
                # Our own Leaflet drew a marker for each point, tiles or not.
                page.wait_for_selector(".leaflet-interactive, .cluster", timeout=5000)
            page.screenshot(
                path=SCREENSHOTS / f"pages-{name}-{language}-{screen}.png", full_page=True
            )
            violations = run_axe(page)
            assert violations == [], (path, screen, [(v["id"], v["help"]) for v in violations])
            page.close()
    assert outside == []


@pytest.mark.django_db(transaction=True)
def test_a_name_with_markup_is_text_on_the_map_not_code(demo, live_server, browser):
    from sites.models import HeritageSite, SiteName

    palmyra = HeritageSite.objects.get(slug="palmyra")
    SiteName.objects.create(site=palmyra, name="<img src=x onerror=alert(1)>", language="ar")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/ar/")
    marker = page.locator(".leaflet-interactive").first
    marker.hover()  # opens the tooltip
    marker.click()  # and the popup
    page.wait_for_selector(".leaflet-tooltip")
    assert "<img src=x" in page.locator(".leaflet-tooltip").inner_text()
    assert dialogs == []
    page.close()
