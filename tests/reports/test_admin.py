import datetime

import pytest
from django.core.exceptions import ValidationError

from reports.models import Citation, DamageReport, SourceArticle
from reports.vocabularies import Status
from sites.admin import SiteFilter
from sites.models import HeritageSite, Monument
from tests.admin_pages import admin_url
from tests.factories import (
    make_article,
    make_citation,
    make_monument,
    make_published_report,
    make_report,
    make_site,
)

pytestmark = pytest.mark.django_db

QUOTE = "Militants blew up the ancient temple on Sunday, witnesses said."


def report_form(monument: Monument, **fields) -> dict:
    """A complete add form for a report, without citations."""
    data = {
        "site": monument.site_id,
        "monument": monument.pk,
        "damage_type": "explosives",
        "extent": "destroyed",
        "summary": "The cella was blown up.",
        "occurred_on": "2015-08-30",
        "occurred_on_precision": "day",
        "occurred_until": "",
        "occurred_until_precision": "",
        "observed_on": "",
        "certainty": "high",
        "assessment_basis": "news_report",
        "responsible_party": "ISIL",
        "external_id": "",
        "transition": "",
        "transition_reason": "",
        "base_version": "",
        "curator_notes": "",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    return data | fields


def change_form(report: DamageReport, **fields) -> dict:
    """The change form of an existing report as the admin would post it, its citations kept."""
    data = report_form(report.monument, base_version=report.version) | {
        "summary": report.summary,
        "damage_type": report.damage_type,
        "extent": report.extent,
        "occurred_on": report.occurred_on.isoformat(),
    }
    citations = list(report.citations.all())
    data["citations-TOTAL_FORMS"] = str(len(citations))
    data["citations-INITIAL_FORMS"] = str(len(citations))
    for i, citation in enumerate(citations):
        data |= {
            f"citations-{i}-id": citation.pk,
            f"citations-{i}-report": report.pk,
            f"citations-{i}-article": citation.article_id,
            f"citations-{i}-quote": citation.quote,
            f"citations-{i}-location": citation.location,
            f"citations-{i}-stance": citation.stance,
        }
    return data | fields


def with_citations(data: dict, *citations: tuple[SourceArticle, str]) -> dict:
    data = dict(data, **{"citations-TOTAL_FORMS": str(len(citations))})
    for i, (article, quote) in enumerate(citations):
        data |= {f"citations-{i}-article": article.pk, f"citations-{i}-quote": quote}
        data[f"citations-{i}-location"] = ""
        data[f"citations-{i}-stance"] = "supports"
    return data


def test_publishing_without_a_citation_is_a_form_error(client, reviewer):
    report = make_report(monument=make_monument(), status=Status.IN_REVIEW)
    client.force_login(reviewer)
    response = client.post(
        admin_url(DamageReport, "change", report.pk), change_form(report, transition="published")
    )
    assert response.status_code == 200
    assert "at least one source article supports it" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_an_editor_submits_and_a_reviewer_publishes(client, editor, reviewer):
    bel = make_monument(name="Temple of Bel")
    article = make_article()
    client.force_login(editor)
    data = with_citations(report_form(bel, transition="in_review"), (article, QUOTE))
    response = client.post(admin_url(DamageReport, "add"), data)
    assert response.status_code == 302, response.context["errors"]
    report = DamageReport.objects.get()
    assert (report.status, report.created_by, report.updated_by) == (
        Status.IN_REVIEW,
        editor,
        editor,
    )
    assert report.citations.get().location == "paragraph 1"

    client.force_login(reviewer)
    response = client.post(
        admin_url(DamageReport, "change", report.pk), change_form(report, transition="published")
    )
    assert response.status_code == 302, response.context["errors"]
    report.refresh_from_db()
    assert (report.status, report.updated_by) == (Status.PUBLISHED, reviewer)
    assert report.published_at is not None


def test_a_new_report_with_its_first_citation_can_be_submitted(admin_client):
    bel = make_monument()
    data = with_citations(report_form(bel, transition="in_review"), (make_article(), QUOTE))
    assert admin_client.post(admin_url(DamageReport, "add"), data).status_code == 302
    assert DamageReport.objects.get().status == Status.IN_REVIEW


def test_a_monument_of_another_site_is_a_form_error(admin_client):
    bel = make_monument(name="Temple of Bel", site=make_site(name="Site of Palmyra"))
    aleppo = make_site(name="Ancient City of Aleppo")
    response = admin_client.post(admin_url(DamageReport, "add"), report_form(bel, site=aleppo.pk))
    assert response.status_code == 200
    assert "Temple of Bel is in Site of Palmyra, not in Ancient City of Aleppo" in (
        response.content.decode()
    )
    assert not DamageReport.objects.exists()


def test_a_quote_missing_from_the_article_is_a_form_error(admin_client):
    bel = make_monument()
    data = with_citations(report_form(bel), (make_article(), "Words the article never said."))
    response = admin_client.post(admin_url(DamageReport, "add"), data)
    assert response.status_code == 200
    assert "not in the article&#x27;s text" in response.content.decode()
    assert not DamageReport.objects.exists()


def test_the_same_passage_twice_is_a_form_error(admin_client):
    bel, article = make_monument(), make_article()
    data = with_citations(report_form(bel), (article, QUOTE), (article, f"  {QUOTE} "))
    response = admin_client.post(admin_url(DamageReport, "add"), data)
    assert response.status_code == 200
    assert "cited twice" in response.content.decode()
    assert not Citation.objects.exists()


def test_removing_the_last_citation_of_a_published_report_is_a_form_error(admin_client):
    report = make_published_report(monument=make_monument())
    data = change_form(report, **{"citations-0-DELETE": "on"})
    response = admin_client.post(admin_url(DamageReport, "change", report.pk), data)
    assert response.status_code == 200
    assert "at least one source article supports it" in response.content.decode()
    assert report.citations.count() == 1


def test_a_retraction_needs_a_reason_and_keeps_it(admin_client):
    report = make_published_report(monument=make_monument())
    url = admin_url(DamageReport, "change", report.pk)
    response = admin_client.post(url, change_form(report, transition="retracted"))
    assert response.status_code == 200
    assert "Say why the report is retracted" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.PUBLISHED

    # A reason the field refuses (a NUL in it) says that alone, not also "say why".
    bad = change_form(report, transition="retracted", transition_reason="bad\x00reason")
    response = admin_client.post(url, bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Null characters are not allowed" in page
    assert "Say why the report is retracted" not in page

    reason = "The source withdrew the claim."
    data = change_form(report, transition="retracted", transition_reason=reason)
    assert admin_client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.retraction_reason) == (Status.RETRACTED, reason)


def test_deleting_a_cited_article_is_refused_with_a_clear_message(admin_client):
    citation = make_citation(make_report())
    url = admin_url(SourceArticle, "delete", citation.article_id)
    page = admin_client.get(url).content.decode()
    assert "would require deleting the following protected related objects" in page
    response = admin_client.post(url, {"post": "yes"})
    assert "Cannot delete source article" in response.content.decode()
    assert SourceArticle.objects.filter(pk=citation.article_id).exists()


def test_bulk_deleting_a_cited_article_is_refused(admin_client):
    citation = make_citation(make_report())
    unused = make_article()
    response = admin_client.post(
        admin_url(SourceArticle, "changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [citation.article_id, unused.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 200
    assert "Cannot delete source article" in response.content.decode()
    assert SourceArticle.objects.count() == 2


def test_the_last_citation_of_a_published_report_cannot_be_deleted_from_its_page(admin_client):
    citation = make_published_report().citations.get()
    response = admin_client.post(admin_url(Citation, "delete", citation.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_the_publish_action_reports_what_it_did_and_refused(admin_client):
    cited = make_report(status=Status.IN_REVIEW)
    make_citation(cited)
    uncited = make_report(summary="No source yet.", status=Status.IN_REVIEW)
    draft = make_report(summary="Still a draft.")
    make_citation(draft)
    response = admin_client.post(
        admin_url(DamageReport, "changelist"),
        {"action": "publish_selected", "_selected_action": [cited.pk, uncited.pk, draft.pk]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "1 report(s) now published." in messages
    (refusals,) = [m for m in messages if "refused" in m]
    assert refusals.startswith("2 report(s) refused:")
    assert "at least one source article" in refusals
    assert "A draft report cannot become published" in refusals
    statuses = [
        r.status
        for r in DamageReport.objects.filter(pk__in=[cited.pk, uncited.pk, draft.pk]).order_by(
            "pk"
        )
    ]
    assert statuses == [Status.PUBLISHED, Status.IN_REVIEW, Status.DRAFT]


def test_the_review_queue_shows_reports_in_review_longest_waiting_first(admin_client):
    from reports.services import report_submit

    first = make_report(summary="First submitted.")
    second = make_report(summary="Second submitted.")
    make_report(summary="Still a draft.")
    report_submit(report=second, by=None)
    report_submit(report=first, by=None)
    DamageReport.objects.filter(pk=first.pk).update(
        submitted_at=second.submitted_at - datetime.timedelta(days=1)
    )
    first.refresh_from_db()
    first.summary = "First submitted, edited since."  # an edit does not move it in the queue
    first.save()
    queue = {"status__exact": "in_review"}
    response = admin_client.get(admin_url(DamageReport, "changelist"), queue)
    assert list(response.context["cl"].result_list) == [first, second]


def test_the_report_list_shows_the_columns_curators_need(admin_client, demo):
    response = admin_client.get(admin_url(DamageReport, "changelist"))
    page = response.content.decode()
    for heading in ["Site", "Monument", "Occurred", "Damage type", "Extent", "Status", "Sources"]:
        assert heading in page
    assert "May 2015 – 27 March 2016" in page


def test_searching_reports_by_a_monuments_other_name(admin_client, demo):
    response = admin_client.get(admin_url(DamageReport, "changelist"), {"q": "Arch of Triumph"})
    assert [r.monument.name for r in response.context["cl"].result_list] == ["Monumental Arch"]


def test_a_monument_page_lists_its_reports(admin_client, demo):
    arch = Monument.objects.get(slug="monumental-arch")
    response = admin_client.get(admin_url(Monument, "change", arch.pk))
    assert "The triumphal arch was blown up by ISIS." in response.content.decode()


def test_an_article_page_lists_the_reports_that_cite_it(admin_client, demo):
    article = SourceArticle.objects.get(title__startswith="Backed by Russia")
    page = admin_client.get(admin_url(SourceArticle, "change", article.pk)).content.decode()
    assert "Cited by these reports" in page
    assert "Monumental Arch: deliberate demolition with explosives" in page


def test_every_admin_page_links_to_the_review_queue(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert '/admin/reports/damagereport/?status__exact=in_review">Review queue</a>' in page


def test_every_admin_page_links_to_the_proposals(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "/admin/reports/damagereport/?proposed=yes&amp;status__exact=draft" in page


def test_the_year_filter_offers_the_years_of_the_reports_and_narrows_to_one(admin_client, demo):
    make_report(
        Monument.objects.get(slug="temple-of-bel").site, occurred_on=datetime.date(2012, 3, 1)
    )
    url = admin_url(DamageReport, "changelist")
    response = admin_client.get(url)
    years_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.title == "year occurred"
    )
    offered = [value for value, _ in years_filter.lookup_choices]
    assert offered == sorted(offered, reverse=True)
    assert offered == ["2015", "2014", "2013", "2012"]
    response = admin_client.get(url, {"occurred": "2012"})
    assert [report.occurred_on.year for report in response.context["cl"].result_list] == [2012]


@pytest.mark.parametrize("parameter", ["occurred", "site"])
def test_a_bad_filter_value_is_not_an_error_page(admin_client, demo, parameter):
    response = admin_client.get(admin_url(DamageReport, "changelist"), {parameter: "abc"})
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_the_site_filter_lists_sites_with_reports_while_they_are_few(admin_client, demo):
    url = admin_url(DamageReport, "changelist")
    response = admin_client.get(url)
    site_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.title == "site"
    )
    assert [name for _, name in site_filter.lookup_choices] == ["Site of Palmyra"]
    palmyra = HeritageSite.objects.get(slug="palmyra")
    response = admin_client.get(url, {"site": palmyra.pk})
    assert {report.site for report in response.context["cl"].result_list} == {palmyra}


def test_with_many_sites_the_site_filter_lists_only_the_chosen_one(
    admin_client, demo, monkeypatch
):
    monkeypatch.setattr(SiteFilter, "LISTED_UP_TO", 1)  # the demo has two sites
    url = admin_url(DamageReport, "changelist")
    specs = admin_client.get(url).context["cl"].filter_specs
    assert "site" not in [spec.title for spec in specs]
    palmyra = HeritageSite.objects.get(slug="palmyra")
    specs = admin_client.get(url, {"site": palmyra.pk}).context["cl"].filter_specs
    site_filter = next(spec for spec in specs if spec.title == "site")
    assert site_filter.lookup_choices == [(str(palmyra.pk), "Site of Palmyra")]


def test_the_only_citation_of_a_published_report_cannot_move_to_another_report(client, reviewer):
    published = make_published_report(monument=make_monument())
    (citation,) = published.citations.all()
    other = make_report(monument=make_monument())
    client.force_login(reviewer)
    response = client.post(
        admin_url(Citation, "change", citation.pk),
        {
            "report": other.pk,
            "article": citation.article_id,
            "quote": citation.quote,
            "location": citation.location,
        },
    )
    assert response.status_code == 200
    assert "only supporting citation of a published report" in str(response.context["errors"])
    citation.refresh_from_db()
    assert citation.report_id == published.pk
    body = client.get(f"/api/v1/reports/{published.pk}/").json()
    assert len(body["citations"]) == 1
    # Nor by code.
    citation.report = other
    with pytest.raises(ValidationError, match="only supporting citation"):
        citation.save()


def test_adding_a_citation_says_so_without_doubled_quotation_marks(admin_client):
    report = make_report(monument=make_monument())
    article = make_article()
    response = admin_client.post(
        admin_url(Citation, "add"),
        {
            "report": report.pk,
            "article": article.pk,
            "quote": "witnesses said",
            "location": "",
            "stance": "supports",
        },
        follow=True,
    )
    (message,) = [str(m) for m in response.context["messages"]]
    assert "witnesses said</a>”" in message and "““" not in message, message
    assert "“<a" in message


def autocomplete(client, model_name: str, field_name: str, **params) -> list[str]:
    query = {"app_label": "reports", "model_name": model_name, "field_name": field_name}
    response = client.get("/admin/autocomplete/", query | params)
    assert response.status_code == 200, response.content
    return [result["id"] for result in response.json()["results"]]


@pytest.mark.parametrize("model_name", ["citation", "evidence"])
def test_the_report_box_offers_an_editor_only_reports_they_may_add_to(
    client, editor, reviewer, model_name
):
    draft = make_report(monument=make_monument())
    published = make_published_report(monument=make_monument())
    client.force_login(editor)
    assert autocomplete(client, model_name, "report") == [str(draft.pk)]
    client.force_login(reviewer)
    assert set(autocomplete(client, model_name, "report")) == {str(draft.pk), str(published.pk)}


def test_the_monument_box_offers_the_monuments_of_the_chosen_site(admin_client):
    here, elsewhere = make_monument(), make_monument()
    report = make_report(monument=here)
    everything = autocomplete(admin_client, "damagereport", "monument")
    assert {str(here.pk), str(elsewhere.pk)} <= set(everything)
    by_site = autocomplete(admin_client, "damagereport", "monument", site=here.site_id)
    assert by_site == [str(here.pk)]
    by_report = autocomplete(admin_client, "evidence", "monument", report=report.pk)
    assert by_report == [str(here.pk)]
    page = admin_client.get(admin_url(DamageReport, "add")).content.decode()
    assert "reports/narrow-monuments.js" in page


def test_an_article_text_that_loses_a_quoted_passage_is_a_form_error(admin_client, demo):
    """Found by an outside probe: editing the text of a cited article so that a quote was
    gone was a 500 (the read-only "cited by" rows were validated against the new text)."""
    from tests.admin_pages import form_errors, form_values

    article = SourceArticle.objects.get(title__startswith="Backed by Russia")
    url = admin_url(SourceArticle, "change", article.pk)
    data = form_values(admin_client.get(url), "sourcearticle_form")
    original = article.text
    data["text"] = ["Para one.\n\nNothing here any more."]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "no longer holds passages its citations quote" in form_errors(response)
    article.refresh_from_db()
    assert article.text == original
    data["text"] = [original + "\n\nA paragraph added at the end."]
    assert admin_client.post(url, data).status_code == 302  # the quotes still in it: saved


def test_a_monument_with_reports_cannot_move_to_another_site_and_the_page_says_why(
    admin_client, demo
):
    """Found by an outside probe: the move was refused with "Please correct the error below"
    and no error anywhere on the page (the read-only report rows were validated)."""
    from tests.admin_pages import form_errors, form_values

    bel = Monument.objects.get(slug="temple-of-bel")
    elsewhere = make_site(name="Bosra", slug="bosra")
    url = admin_url(Monument, "change", bel.pk)
    data = form_values(admin_client.get(url), "monument_form")
    data["site"] = [str(elsewhere.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "cannot move to another site" in form_errors(response)
    bel.refresh_from_db()
    assert bel.site.slug == "palmyra"
    lone = make_monument(name="Lone arch", slug="lone-arch")
    url = admin_url(Monument, "change", lone.pk)
    data = form_values(admin_client.get(url), "monument_form")
    data["site"] = [str(elsewhere.pk)]
    assert admin_client.post(url, data).status_code == 302  # without reports it may move
