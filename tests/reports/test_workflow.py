"""Roles, status transitions and lost-update protection in the curators' admin."""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command

from reports.models import DamageReport
from reports.services import TRANSITIONS, report_transition
from reports.vocabularies import Status
from sites.models import HeritageSite
from tests.admin_pages import admin_url
from tests.factories import make_citation, make_monument, make_published_report, make_report
from tests.reports.test_admin import change_form

pytestmark = pytest.mark.django_db


def test_setup_roles_creates_the_groups_and_can_run_again(capsys):
    call_command("setup_roles")
    call_command("setup_roles")
    assert "Group 'editor'" in capsys.readouterr().out
    editor = set(Group.objects.get(name="editor").permissions.values_list("codename", flat=True))
    reviewer = set(
        Group.objects.get(name="reviewer").permissions.values_list("codename", flat=True)
    )
    assert "add_damagereport" in editor and "review_damagereport" not in editor
    assert editor < reviewer and "review_damagereport" in reviewer
    assert "delete_heritagesite" not in reviewer


def report_in(status: str) -> DamageReport:
    report = make_report(monument=make_monument())
    make_citation(report)
    extra = {"retraction_reason": "Withdrawn."} if status == Status.RETRACTED else {}
    extra |= {"published_at": report.created_at} if status != Status.DRAFT else {}
    DamageReport.objects.filter(pk=report.pk).update(status=status, **extra)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(
    ("start", "to"),
    [pair for pair in itertools.permutations(Status.values, 2) if pair not in TRANSITIONS],
)
def test_a_transition_off_the_map_is_refused_with_the_reason(reviewer, start, to):
    report = report_in(start)
    with pytest.raises(ValidationError) as error:
        report_transition(report=report, to=to, by=reviewer, reason="Because.")
    (message,) = error.value.messages
    assert message.startswith(f"A {Status(start).label.lower()} report cannot become")
    report.refresh_from_db()
    assert report.status == start


@pytest.mark.parametrize(("start", "to"), list(TRANSITIONS))
def test_every_transition_on_the_map_works_for_a_reviewer(reviewer, start, to):
    report = report_in(start)
    report_transition(report=report, to=to, by=reviewer, reason="The source withdrew it.")
    report.refresh_from_db()
    assert report.status == to


@pytest.mark.parametrize(("start", "to"), [k for k, needs in TRANSITIONS.items() if needs])
def test_an_editor_cannot_publish_reject_or_retract(editor, start, to):
    report = report_in(start)
    with pytest.raises(ValidationError, match="Only reviewers"):
        report_transition(report=report, to=to, by=editor, reason="x")


def test_an_editor_is_offered_only_what_an_editor_may_do(client, editor, reviewer):
    report = report_in(Status.IN_REVIEW)
    url = admin_url(DamageReport, "change", report.pk)
    client.force_login(editor)
    choices = dict(client.get(url).context["adminform"].form.fields["transition"].choices)
    assert list(choices) == ["", "draft"]
    client.force_login(reviewer)
    choices = dict(client.get(url).context["adminform"].form.fields["transition"].choices)
    assert list(choices) == ["", "draft", "published", "rejected"]


def test_an_editors_forged_publish_post_is_refused(client, editor):
    report = report_in(Status.IN_REVIEW)
    client.force_login(editor)
    forged = change_form(report, transition="published", status="published")
    response = client.post(admin_url(DamageReport, "change", report.pk), forged)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_an_editors_forged_publish_action_is_refused(client, editor):
    report = report_in(Status.IN_REVIEW)
    client.force_login(editor)
    response = client.post(
        admin_url(DamageReport, "changelist"),
        {"action": "publish_selected", "_selected_action": [report.pk]},
        follow=True,
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == Status.IN_REVIEW


def test_an_editor_may_view_but_not_change_a_published_report(client, editor):
    report = make_published_report(monument=make_monument())
    client.force_login(editor)
    url = admin_url(DamageReport, "change", report.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.post(url, change_form(report, summary="Rewritten")).status_code == 403
    report.refresh_from_db()
    assert report.summary == "Blown up."


def test_an_editor_submits_in_bulk_and_cannot_see_reviewer_actions(client, editor):
    draft = report_in(Status.DRAFT)
    client.force_login(editor)
    page = client.get(admin_url(DamageReport, "changelist"))
    actions = [name for name, _ in page.context["action_form"].fields["action"].choices]
    assert "submit_selected" in actions
    assert not {"publish_selected", "reject_selected", "delete_selected"} & set(actions)
    response = client.post(
        admin_url(DamageReport, "changelist"),
        {"action": "submit_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "1 report(s) now in review." in [str(m) for m in response.context["messages"]]


def test_an_editor_creates_sites_and_sources_but_deletes_nothing(client, editor):
    client.force_login(editor)
    for model in (HeritageSite, DamageReport):
        assert client.get(admin_url(model, "add")).status_code == 200
    site = make_monument().site
    assert (
        client.post(admin_url(HeritageSite, "delete", site.pk), {"post": "yes"}).status_code == 403
    )
    draft = report_in(Status.DRAFT)
    response = client.post(admin_url(DamageReport, "delete", draft.pk), {"post": "yes"})
    assert response.status_code == 403
    assert DamageReport.objects.filter(pk=draft.pk).exists()


def test_a_reviewer_deletes_a_draft(client, reviewer):
    draft = report_in(Status.DRAFT)
    client.force_login(reviewer)
    response = client.post(admin_url(DamageReport, "delete", draft.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not DamageReport.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.RETRACTED])
def test_nobody_deletes_a_report_the_public_has_seen(admin_client, status):
    report = report_in(status)
    response = admin_client.post(admin_url(DamageReport, "delete", report.pk), {"post": "yes"})
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="retract it instead"):
        report.delete()
    assert DamageReport.objects.filter(pk=report.pk).exists()


def test_a_second_curator_cannot_silently_overwrite_the_first(client, editor, reviewer):
    report = report_in(Status.DRAFT)
    url = admin_url(DamageReport, "change", report.pk)
    # Both open the report at the same version.
    client.force_login(editor)
    editors_form = change_form(report, summary="Edith's summary.")
    client.force_login(reviewer)
    reviewers_form = change_form(report, summary="Rhea's summary.")

    client.force_login(editor)
    assert client.post(url, editors_form).status_code == 302
    client.force_login(reviewer)
    response = client.post(url, reviewers_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this report while you were editing it." in page
    assert "Rhea&#x27;s summary." in page  # the second curator's text is still in the form
    report.refresh_from_db()
    assert (report.summary, report.version) == ("Edith's summary.", 2)


def test_saving_a_stale_copy_in_code_is_refused_too():
    report = report_in(Status.DRAFT)
    stale = DamageReport.objects.get(pk=report.pk)
    report.summary = "First."
    report.save()
    stale.summary = "Second."
    with pytest.raises(ValidationError, match="Someone else saved this report"):
        stale.save()
    report.refresh_from_db()
    assert report.summary == "First."


def test_an_editor_cannot_change_the_parts_of_a_published_report(client, editor, reviewer):
    from reports.images import clean_upload
    from reports.models import Citation, Evidence
    from reports.services import evidence_attach
    from tests.images import jpeg

    report = make_published_report(monument=make_monument())
    citation = report.citations.get()
    evidence = evidence_attach(
        report=report, image=clean_upload(jpeg()), caption="c", credit="c", licence="cc0-1.0"
    )
    client.force_login(editor)
    data = {
        "report": report.pk,
        "article": citation.article_id,
        "quote": "Changed.",
        "location": "",
    }
    assert client.post(admin_url(Citation, "change", citation.pk), data).status_code == 403
    assert (
        client.post(admin_url(Evidence, "delete", evidence.pk), {"post": "yes"}).status_code == 403
    )
    # Nor add a new part to it.
    response = client.post(admin_url(Citation, "add"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["adminform"].form.errors["report"])
    citation.refresh_from_db()
    assert citation.quote != "Changed."
    assert Evidence.objects.filter(pk=evidence.pk).exists()

    client.force_login(reviewer)
    assert (
        client.post(admin_url(Evidence, "delete", evidence.pk), {"post": "yes"}).status_code == 302
    )
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
