"""End to end, in a real browser: an editor writes a report with a quote and a photo and
submits it; a reviewer publishes it; the public API shows it. A screenshot of each step is
saved under var/screenshots/."""

import pytest

from reports.models import DamageReport
from reports.vocabularies import Status
from tests.conftest import SCREENSHOTS
from tests.images import jpeg_with_gps_and_rotation

QUOTE = (
    "It has since blown up two of the site's treasured temples, its triumphal arch and a dozen "
    "tower tombs, in a campaign of destruction that UNESCO described as a war crime punishable "
    "by the International Criminal Court."
)


def log_in(browser, base_url: str, username: str):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"{username}-password")
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


def choose(page, select_id: str, search: str, option: str) -> None:
    """Pick `option` in one of the admin's autocomplete (select2) fields."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option).first.click()


def shot(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"workflow-{name}.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_an_editor_submits_a_report_and_a_reviewer_publishes_it(
    demo, editor, reviewer, live_server, browser, tmp_path
):
    # The database fixtures come before live_server (session-wide), so that the server stops
    # before the test database is dropped.
    photo = tmp_path / "temple-of-bel.jpg"
    photo.write_bytes(jpeg_with_gps_and_rotation())

    # 1. The editor writes the report, with its quote and a photo, and submits it.
    page = log_in(browser, live_server.url, editor.username)
    shot(page, "1-editor-signed-in")
    page.goto(f"{live_server.url}/admin/reports/damagereport/add/")
    choose(page, "id_site", "Palmyra", "Site of Palmyra")
    choose(page, "id_monument", "Bel", "Temple of Bel")
    page.select_option("#id_damage_type", "explosives")
    page.select_option("#id_extent", "destroyed")
    page.fill("#id_summary", "The cella was blown up; the gateway survives.")
    page.fill("#id_occurred_on", "2015-08-30")
    choose(page, "id_citations-0-article", "Palmyra", "Backed by Russia")
    page.fill("#id_citations-0-quote", QUOTE)
    page.locator("#evidence-group .add-row a").click()
    page.set_input_files("#id_evidence-0-upload", str(photo))
    page.fill("#id_evidence-0-caption", "The gateway of the Temple of Bel after the blast.")
    page.fill("#id_evidence-0-credit", "A. Photographer")
    page.select_option("#id_evidence-0-licence", "cc-by-4.0")
    page.select_option("#id_transition", "in_review")
    shot(page, "2-editor-fills-in-the-report")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    shot(page, "3-editor-submitted")

    report = DamageReport.objects.get(summary__startswith="The cella was blown up")
    assert report.status == Status.IN_REVIEW
    assert report.created_by == editor
    assert report.evidence.count() == 1

    # 2. The reviewer finds it in the review queue and publishes it.
    page = log_in(browser, live_server.url, reviewer.username)
    page.get_by_role("link", name="Review queue").click()
    page.get_by_role("link", name="The cella was blown up").click()
    page.select_option("#id_transition", "published")
    shot(page, "4-reviewer-publishes")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    shot(page, "5-reviewer-published")
    report.refresh_from_db()
    assert (report.status, report.updated_by) == (Status.PUBLISHED, reviewer)

    # 3. Anyone sees it in the public API, with its quote and its photo.
    reader = browser.new_page()
    response = reader.goto(f"{live_server.url}/api/v1/reports/{report.pk}/?format=json")
    assert response.status == 200
    body = response.json()
    assert body["citations"][0]["quote"] == QUOTE
    (photo_json,) = body["evidence"]
    image = reader.goto(photo_json["image"])
    assert image.status == 200 and image.headers["content-type"] == "image/jpeg"
    reader.goto(f"{live_server.url}/api/v1/reports/{report.pk}/")
    shot(reader, "6-public-api")


def offered(page, select_id: str) -> list[str]:
    """The choices an autocomplete box offers when opened, once the server has answered."""
    with page.expect_response(lambda response: "/autocomplete/" in response.url) as answer:
        page.locator(f"#{select_id} + .select2 .select2-selection").click()
    assert answer.value.status == 200
    page.wait_for_selector(".select2-container--open .loading-results", state="detached")
    texts = page.locator(".select2-container--open .select2-results__option").all_inner_texts()
    page.keyboard.press("Escape")
    return texts


@pytest.mark.django_db(transaction=True)
def test_the_monument_box_follows_the_chosen_site(demo, editor, live_server, browser):
    page = log_in(browser, live_server.url, editor.username)
    page.goto(f"{live_server.url}/admin/reports/damagereport/add/")
    choose(page, "id_site", "Aleppo", "Ancient City of Aleppo")
    aleppo = offered(page, "id_monument")
    choose(page, "id_site", "Palmyra", "Site of Palmyra")
    palmyra = offered(page, "id_monument")
    page.screenshot(path=SCREENSHOTS / "monuments-of-the-chosen-site.png")
    assert aleppo and palmyra
    assert all(name.endswith("(Ancient City of Aleppo)") for name in aleppo), aleppo
    assert all(name.endswith("(Site of Palmyra)") for name in palmyra), palmyra
    assert "Temple of Bel (Site of Palmyra)" in palmyra
