"""The interactive API documentation, in a real browser: a reader can run a query from it."""

import pytest

from tests.conftest import SCREENSHOTS


@pytest.mark.django_db(transaction=True)
def test_a_reader_runs_a_query_from_the_docs_page(demo, live_server, browser_page):
    # demo (and so the test database) before live_server: the server stops before it is dropped.
    page = browser_page
    page.goto(f"{live_server.url}/api/v1/docs/")
    operation = page.locator(".opblock-summary", has_text="/api/v1/reports/").first
    operation.click()
    page.get_by_role("button", name="Try it out").click()
    page.locator("tr[data-param-name='search'] input").fill("arch")
    page.get_by_role("button", name="Execute").click()
    response = page.locator(".live-responses-table tbody .response-col_status").first
    response.wait_for(timeout=15_000)
    assert response.inner_text().strip() == "200"
    body = page.locator(".live-responses-table .microlight").first.inner_text()
    assert "The triumphal arch was blown up by ISIS." in body
    page.screenshot(path=SCREENSHOTS / "api-docs-try-it-out.png", full_page=True)
