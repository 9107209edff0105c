"""The curators' view of jobs: the list (what runs, what failed), each job's progress and
outcome, the pages that start one, and a retry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from heritage.admin_input import CheckedAddressAdmin, int_param
from heritage.jobs.kinds import KINDS, kind_label
from heritage.jobs.models import Job
from heritage.jobs.services import JobNotRetryable, job_inputs_remove, job_retry, job_start


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [(name, kind.label) for name, kind in sorted(KINDS.items())]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(kind=self.value()) if self.value() else queryset


def job_message(request: HttpRequest, job: Job) -> None:
    """Tell the curator where a job they just started or retried stands."""
    if job.state == Job.State.SUCCEEDED:
        messages.success(request, f"{kind_label(job.kind)} done: {job.summary}")
    elif job.state == Job.State.FAILED:
        messages.error(request, f"{kind_label(job.kind)} failed: {job.error}")
    else:
        messages.info(
            request,
            f"{kind_label(job.kind)} queued: a worker runs it; this page shows its progress.",
        )


# What a job's page shows, in its three parts.
SHOWN = ("kind_name", "description", "state_shown", "progress", "summary", "error", "output")
OUTCOME = ("counts_table", "refused_table", "notes_list")
RUN = (
    "started_by",
    "attempt",
    "worker",
    "created_at",
    "started_at",
    "heartbeat_at",
    "finished_at",
)


@admin.register(Job)
class JobAdmin(CheckedAddressAdmin):
    list_display = [
        "id",
        "kind_name",
        "description",
        "state_shown",
        "progress",
        "started_by",
        "created_at",
        "finished_at",
    ]
    list_display_links = ["id", "kind_name"]
    list_filter = ["state", KindFilter, "created_at"]
    search_fields = ["description", "summary", "error", "started_by__username"]
    list_select_related = ["started_by"]
    date_hierarchy = "created_at"
    actions = ["retry_jobs"]
    change_form_template = "admin/jobs/job/change_form.html"
    change_list_template = "admin/jobs/job/change_list.html"
    fieldsets = [
        (None, {"fields": SHOWN}),
        ("Outcome", {"fields": OUTCOME}),
        ("Run", {"fields": RUN}),
    ]
    # Every field a job's page shows is the job's own record: none is edited by hand.
    readonly_fields = (*SHOWN, *OUTCOME, *RUN)

    # Jobs are started by their own pages and written only by their runs.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="kind", ordering="kind")
    def kind_name(self, job: Job) -> str:
        return kind_label(job.kind)

    @admin.display(description="state", ordering="state")
    def state_shown(self, job: Job) -> str:
        if job.stalled:
            return "Stalled (no progress for a while: its worker stopped; retry it)"
        return job.get_state_display()

    @admin.display(description="progress")
    def progress(self, job: Job) -> str:
        percent = job.percent()
        if job.total is None:
            return format_html("{} done", f"{job.done:,}") if job.done else "—"
        return format_html(
            '<progress value="{}" max="{}"></progress> {} of {} ({} %)',
            job.done,
            job.total or 1,
            f"{job.done:,}",
            f"{job.total:,}",
            percent if percent is not None else 0,
        )

    @admin.display(description="counts")
    def counts_table(self, job: Job) -> str:
        if not job.counts:
            return "—"
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><th>{}</th><td>{}</td></tr>",
                ((k, f"{v:,}") for k, v in job.counts.items()),
            ),
        )

    @admin.display(description="refused")
    def refused_table(self, job: Job) -> str:
        if not job.refused_count:
            return "None"
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td></tr>", ((r["item"], r["reason"]) for r in job.refused)
        )
        more = job.refused_count - len(job.refused)
        return format_html(
            "<p>{} refused{}</p><table><thead><tr><th>item</th><th>why</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            f"{job.refused_count:,}",
            f" (the first {len(job.refused):,} are listed)" if more > 0 else "",
            rows,
        )

    @admin.display(description="notes")
    def notes_list(self, job: Job) -> str:
        if not job.notes:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((n,) for n in job.notes))
        )

    # --- Retry --------------------------------------------------------------------------------

    @admin.action(description="Retry the selected failed or stalled jobs")
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        retried, refused = 0, []
        for job in queryset:
            why = self._retry(request, job)
            if why:
                refused.append(why)
            else:
                retried += 1
        if retried:
            self.message_user(request, f"{retried} job(s) retried.", messages.SUCCESS)
        for why in refused:
            self.message_user(request, why, messages.WARNING)

    def _retry(self, request: HttpRequest, job: Job) -> str:
        """Retry one job; returns why not, or "" once done."""
        kind = KINDS.get(job.kind)
        if kind is None or not kind.allowed(request.user, job.params):
            return f"Job {job.pk}: you may not run a {kind_label(job.kind).lower()}."
        try:
            job_retry(job=job, by=request.user)
        except JobNotRetryable as error:
            return str(error)
        return ""

    def retry_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            raise Http404
        if not self.has_view_permission(request):
            raise PermissionDenied
        number = int_param(object_id)
        if number is None:
            raise Http404
        job = get_object_or_404(Job, pk=number)
        why = self._retry(request, job)
        if why:
            self.message_user(request, why, messages.ERROR)
        else:
            job.refresh_from_db()
            job_message(request, job)
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))

    # --- Starting -----------------------------------------------------------------------------

    def startable(self, request: HttpRequest) -> list[dict[str, str]]:
        """The kinds this curator may start from a page of their own."""
        return [
            {"label": kind.label, "url": reverse("admin:jobs_job_start", args=[name])}
            for name, kind in sorted(KINDS.items())
            if kind.form is not None and kind.allowed(request.user, {})
        ]

    def start_view(self, request: HttpRequest, kind_name: str) -> HttpResponse:
        kind = KINDS.get(kind_name)
        if kind is None or kind.form is None:
            raise Http404
        if not kind.allowed(request.user, {}):
            raise PermissionDenied
        form = kind.form(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            items = form.job_items()
            if not settings.JOBS_QUEUED and items > kind.inline_limit:
                form.add_error(
                    None,
                    f"That is {items:,} items; without a worker a page request runs at most "
                    f"{kind.inline_limit:,}. Ask an administrator to configure the job queue "
                    "(CELERY_BROKER_URL and `make worker`).",
                )
            else:
                job = job_start(
                    kind=kind.name,
                    by=request.user,
                    description=form.job_description(),
                    params=form.job_params(),
                    uploads=form.job_uploads(),
                )
                job_message(request, job)
                return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": kind.label,
            "kind": kind,
            "form": form,
            "opts": self.model._meta,
            "queued": settings.JOBS_QUEUED,
        }
        return TemplateResponse(request, "admin/jobs/job/start.html", context)

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("start/<str:kind_name>/", view(self.start_view), name="jobs_job_start"),
            path("<str:object_id>/retry/", view(self.retry_view), name="jobs_job_retry"),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {"startable": self.startable(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        number = int_param(object_id)
        job = Job.objects.filter(pk=number).first() if number is not None else None
        extra = {
            "job": job,
            "refresh": job is not None and job.state in (Job.State.QUEUED, Job.State.RUNNING),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    # --- Deleting (superusers): the job's kept files go with it ------------------------------

    def delete_model(self, request: HttpRequest, obj: Job) -> None:
        job_inputs_remove(obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        for job in queryset:
            job_inputs_remove(job)
        super().delete_queryset(request, queryset)
