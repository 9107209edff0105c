"""Every page of every registered admin, for every role: no server error, each role allowed
exactly what the README documents, and no photo file left behind by a save that did not
happen. New admins are swept as soon as they are registered.

Each request runs in a savepoint that is rolled back afterwards, so every page starts from the
same data (the Palmyra demo plus a few rows from the factories) and one failure cannot hide or
cause another. Failures are collected and reported together, one line each."""

import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from heritage.jobs.models import Job
from heritage.jobs.services import job_start
from reports.images import clean_upload
from reports.models import Citation, DamageReport, Evidence
from reports.roles import ROLES
from reports.services import evidence_attach, report_submit
from reports.vocabularies import Status
from tests.admin_pages import (
    admin_url,
    changelist_links,
    form_errors,
    form_values,
    new_object_form_data,
    registered_models,
)
from tests.factories import make_citation, make_report
from tests.heritage.test_jobs import whc_export
from tests.images import jpeg

pytestmark = pytest.mark.django_db

SUPERUSER, EDITOR, REVIEWER, ANONYMOUS = "superuser", "editor", "reviewer", "anonymous"
# Fewer pages than this means the sweep stopped looking somewhere.
MINIMUM_SWEEP = 1200
PUBLIC = (Status.PUBLISHED, Status.RETRACTED)
# What curators type: a site's name, several words, a UNESCO id, and characters that SQL
# LIKE, full-text and trigram searches treat specially.
SEARCHES = ["palmyra", "Arch of Triumph", "23", '%_\'\\ ("bel")']


def report_of(obj) -> DamageReport | None:
    if isinstance(obj, DamageReport):
        return obj
    return getattr(obj, "report", None) if isinstance(obj, Citation | Evidence) else None


def may(role: str, action: str, model, obj=None) -> bool:
    """What the README (Curators' workflow) and reports/roles.py let `role` do: editors create
    and edit; reviewers also review and delete unpublished reports; a published or retracted
    report, and its citations and photos, change only through a reviewer and the report is
    never deleted; a published report never loses its last citation."""
    if role == ANONYMOUS:
        return False
    if model is Job and action in ("add", "change"):
        return False  # started by their own pages, written by their runs only
    report = report_of(obj)
    if report is not None and report.status in PUBLIC:
        if action == "delete" and model is DamageReport:
            return False
        if action in ("change", "delete") and role == EDITOR:
            return False
    if action == "delete" and isinstance(obj, Citation):
        if obj.is_only_support_of_published_report():
            return False
    if role == SUPERUSER:
        return True
    if action == "review":
        return role == REVIEWER
    codes = ROLES[role]
    code = f"{model._meta.app_label}.{{}}_{model._meta.model_name}"
    if action == "view":
        return code.format("view") in codes or code.format("change") in codes
    return code.format(action) in codes


def files_in(root: Path) -> set[str]:
    return (
        {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


def rows_of(model) -> list[dict]:
    return list(model._default_manager.order_by("pk").values())


@dataclass
class Sweep:
    clients: dict[str, Client]
    media_root: Path
    pages: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def visit(
        self,
        role: str,
        model,
        page: str,
        url: str,
        *,
        data: dict | None = None,
        allowed: bool,
        ok: tuple[int, ...] = (200,),
        unchanged=None,
    ):
        """Request `url` as `role` (POST when `data` is given) in a savepoint rolled back
        afterwards, and note what is wrong with the answer: a server error; an anonymous
        visitor not sent to the login; a role refused what it may do (status not in `ok`) or
        allowed what it may not (anything but 403, unless `unchanged` -- the rows the request
        must not change -- shows it did nothing). A POST that saves nothing must leave no
        file behind."""
        self.pages += 1
        client = self.clients[role]
        method = "POST" if data is not None else "GET"
        before_files = files_in(self.media_root)
        before_rows = rows_of(unchanged) if unchanged is not None else None
        savepoint = transaction.savepoint()
        try:
            if data is None:
                response = client.get(url)
            else:
                response = client.post(url, data)
            after_rows = rows_of(unchanged) if unchanged is not None else None
        finally:
            transaction.savepoint_rollback(savepoint)
        status = response.status_code
        self.statuses[status] += 1
        where = f"{role:9} {model._meta.label:24} {page:34} {method:4} {url} -> {status}"
        new_files = files_in(self.media_root) - before_files
        saved = method == "POST" and status == 302
        if new_files and not saved:
            self.failures.append(f"{where}: left files behind: {sorted(new_files)}")
        for name in new_files:  # orphans of our own rollback, or already reported
            (self.media_root / name).unlink()
        if status >= 500:
            self.failures.append(f"{where}: server error: {last_lines(response)}")
        elif role == ANONYMOUS:
            if status != 302 or not response["Location"].startswith(reverse("admin:login")):
                self.failures.append(f"{where}: anonymous visitor not sent to the login")
        elif allowed and status not in ok:
            errors = form_errors(response) if status == 200 else ""
            self.failures.append(f"{where}: expected {ok}{': ' + errors if errors else ''}")
        elif not allowed and status != 403:
            if before_rows is None or before_rows != after_rows:
                self.failures.append(f"{where}: allowed, but the README says {role} may not")
        return response


def last_lines(response) -> str:
    """The exception behind a 500, as its last traceback lines."""
    if not getattr(response, "exc_info", None):
        return "(no exception recorded)"
    lines = traceback.format_exception(*response.exc_info)
    tail = "".join(lines[-3:]).strip().splitlines()
    return " / ".join(line.strip() for line in tail[-4:])


def subjects(model) -> list:
    """The rows whose pages are visited: for reports and their parts, one of a draft, one in
    review and one of a published report (what each role may do differs); else the first."""
    if model is DamageReport:
        return [
            DamageReport.objects.filter(status=status).order_by("pk").first()
            for status in (Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED)
        ]
    if model in (Citation, Evidence):
        return [
            model.objects.filter(report__status=status).order_by("pk").first()
            for status in (Status.DRAFT, Status.PUBLISHED)
        ]
    first = model._default_manager.order_by("pk").first()
    return [first] if first is not None else []


def prepare_data() -> None:
    """Beyond the demo: a draft and a report in review, each with a citation, and photos on
    a draft and on a published report."""
    published = DamageReport.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    draft = make_report(monument=published.monument, summary="Palmyra draft.")
    make_citation(draft)
    in_review = make_report(monument=published.monument, summary="Palmyra in review.")
    make_citation(in_review)
    report_submit(report=in_review, by=None)
    job_start(
        kind="whc_import",
        by=None,
        uploads=[ContentFile(whc_export(2), name="whc.xml")],
    )
    for number, report in enumerate([draft, published]):
        evidence_attach(
            report=report,
            image=clean_upload(jpeg(32 + number, 24, "teal")),
            caption="Palmyra, the cella.",
            credit="A. Photographer",
            licence=Evidence.Licence.CC_BY,
        )


def as_post(values: dict[str, list[str]], **extra) -> dict:
    return {
        **{name: value if len(value) > 1 else value[0] for name, value in values.items()},
        **extra,
    }


def sweep_model(sweep: Sweep, model, model_admin, superuser) -> None:
    roles = list(sweep.clients)
    changelist = admin_url(model, "changelist")
    # What the superuser's list offers: every filter choice, date step, sort and page link.
    front = sweep.visit(SUPERUSER, model, "changelist", changelist, allowed=True)
    links = changelist_links(front) if front.status_code == 200 else []
    for role in roles:
        can_view = may(role, "view", model)
        if role != SUPERUSER:
            sweep.visit(role, model, "changelist", changelist, allowed=can_view)
        for search in SEARCHES:
            url = f"{changelist}?{urlencode({'q': search})}"
            sweep.visit(role, model, "changelist search", url, allowed=can_view)
        for link in links:
            sweep.visit(role, model, "changelist link", changelist + link, allowed=can_view)

    # Adding: the role's own form (or, for a role that may not add, the superuser's: a forged
    # request) with valid values from the factories.
    add = admin_url(model, "add")
    forms = {}
    for role in roles:
        response = sweep.visit(role, model, "add form", add, allowed=may(role, "add", model))
        if response.status_code == 200:
            forms[role] = form_values(response)
    for role in roles:
        values = forms.get(role) or forms.get(SUPERUSER) or {}
        new = new_object_form_data(model)
        if new is None:
            sweep.failures.append(
                f"{model._meta.label}: no add-form data (tests/admin_pages.new_object_form_data)"
            )
            break
        data = as_post(values, **new, _save="Save")
        sweep.visit(
            role, model, "add save", add, data=data, allowed=may(role, "add", model), ok=(302,)
        )

    objects = subjects(model)
    if not objects or None in objects:
        sweep.failures.append(f"{model._meta.label}: no row to visit: {objects}")
    for obj in filter(None, objects):
        label = f"{obj.status} " if isinstance(obj, DamageReport) else ""
        if report_of(obj) is not None and not isinstance(obj, DamageReport):
            label = f"of {report_of(obj).status} report "
        sweep_object(sweep, model, obj, label)

    # Actions, on a selection of every row visited; each role posts every action there is,
    # including those it is not offered (a forged request must change nothing).
    request = RequestFactory().get(changelist)
    request.user = superuser
    selected = [obj.pk for obj in objects if obj is not None]
    for name, (function, _, _) in model_admin.get_actions(request).items():
        needed = getattr(function, "allowed_permissions", ()) or ("view",)
        for role in roles:
            allowed = all(may(role, permission, model) for permission in needed)
            data = {"action": name, "_selected_action": selected, "index": "0"}
            sweep.visit(
                role,
                model,
                f"action {name}",
                changelist,
                data=data,
                allowed=allowed,
                ok=(200, 302),
                unchanged=model,
            )
            if name == "delete_selected":
                data = {**data, "post": "yes"}
                sweep.visit(
                    role,
                    model,
                    f"action {name} confirmed",
                    changelist,
                    data=data,
                    allowed=allowed and all(may(role, "delete", model, obj) for obj in objects),
                    ok=(200, 302),
                    unchanged=model,
                )

    # Autocompletes of the admin's own fields and its inlines' (asked by the add and change
    # forms); each answers whoever may view the model it lists.
    sources = [(model_admin, model)] + [
        (inline, inline.model) for inline in model_admin.get_inline_instances(request)
    ]
    for source, source_model in sources:
        for name in source.get_autocomplete_fields(request):
            remote = source_model._meta.get_field(name).remote_field.model
            for search in SEARCHES:
                query = {
                    "term": search,
                    "app_label": source_model._meta.app_label,
                    "model_name": source_model._meta.model_name,
                    "field_name": name,
                }
                url = f"{reverse('admin:autocomplete')}?{urlencode(query)}"
                for role in roles:
                    sweep.visit(
                        role,
                        model,
                        f"autocomplete {source_model.__name__}.{name}",
                        url,
                        allowed=may(role, "view", remote),
                    )

    # The admin's other pages that take no argument (import, export, ingest…): no server
    # error, and nothing for an anonymous visitor.
    standard = {"changelist", "add"}
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None) or ""
        suffix = name.removeprefix(f"{model._meta.app_label}_{model._meta.model_name}_")
        takes_arguments = pattern.pattern.regex.groups or pattern.pattern.converters
        if not name or suffix in standard or takes_arguments:
            continue
        url = reverse(f"admin:{name}")
        for role in roles:
            sweep.visit(role, model, f"page {suffix}", url, allowed=True, ok=(200, 302, 403, 405))


def sweep_object(sweep: Sweep, model, obj, label: str) -> None:
    roles = list(sweep.clients)
    change = admin_url(model, "change", obj.pk)
    forms = {}
    for role in roles:
        response = sweep.visit(
            role, model, f"change form {label}", change, allowed=may(role, "view", model)
        )
        if response.status_code == 200:
            values = form_values(response)
            if values:
                forms[role] = values
    for role in roles:
        # The role's own form posted back unchanged; a role that sees no form forges one.
        values = forms.get(role) or forms.get(SUPERUSER) or {}
        sweep.visit(
            role,
            model,
            f"change save {label}",
            change,
            data=as_post(values, _save="Save"),
            allowed=may(role, "change", model, obj),
            ok=(302,),
        )
    history = admin_url(model, "history", obj.pk)
    version = obj.history.order_by("pk").first() if hasattr(obj, "history") else None
    for role in roles:
        can_view = may(role, "view", model)
        sweep.visit(role, model, f"history {label}", history, allowed=can_view)
        if version is not None:
            url = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history",
                args=[obj.pk, version.history_id],
            )
            sweep.visit(role, model, f"history version {label}", url, allowed=can_view)
    delete = admin_url(model, "delete", obj.pk)
    for role in roles:
        allowed = may(role, "delete", model, obj)
        sweep.visit(role, model, f"delete form {label}", delete, allowed=allowed)
        # Confirmed: deleted (302), or refused with the page saying why (200: protected).
        sweep.visit(
            role,
            model,
            f"delete confirmed {label}",
            delete,
            data={"post": "yes"},
            allowed=allowed,
            ok=(200, 302),
        )


def test_every_admin_page_answers_every_role_as_documented(
    demo, django_user_model, editor, reviewer, media_root
):
    superuser = django_user_model.objects.create_superuser("sweeper", password="sweep-password")
    prepare_data()
    clients = {SUPERUSER: superuser, EDITOR: editor, REVIEWER: reviewer, ANONYMOUS: None}
    sweep = Sweep(clients={}, media_root=Path(media_root))
    for role, user in clients.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        sweep.clients[role] = client
    assert Group.objects.filter(name__in=[EDITOR, REVIEWER]).count() == 2

    for model in registered_models():
        sweep_model(sweep, model, admin.site._registry[model], superuser)

    answers = ", ".join(f"{status}: {count}" for status, count in sorted(sweep.statuses.items()))
    admins = len(registered_models())
    print(f"\nAdmin sweep: {sweep.pages} pages, {admins} admins x 4 roles ({answers})")
    assert not sweep.failures, (
        f"{len(sweep.failures)} of {sweep.pages} admin pages failed:\n" + "\n".join(sweep.failures)
    )
    assert sweep.pages >= MINIMUM_SWEEP
