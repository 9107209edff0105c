"""A job: long work (an import, an ingestion, a release) started by a curator, run by a worker
(or, without one, in the request that starts it), its progress and its outcome kept here for
the admin to show. The kinds of job are registered by the apps (heritage.jobs.kinds)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

#: How many refused items a job lists (with why); beyond that it counts them.
REFUSED_LISTED = 1000


class JobQuerySet(models.QuerySet["Job"]):
    def active(self) -> JobQuerySet:
        return self.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING])

    def with_inputs_expired(self) -> JobQuerySet:
        """Failed jobs whose input files have been kept longer than
        JOBS_FAILED_INPUT_MAX_AGE (reads the jobs that still hold files)."""
        oldest = timezone.now() - datetime.timedelta(seconds=settings.JOBS_FAILED_INPUT_MAX_AGE)
        return self.filter(state=Job.State.FAILED, finished_at__lt=oldest).exclude(inputs=[])


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=50, help_text="What the job does.")
    description = models.CharField(
        max_length=300, blank=True, help_text="What it works on: a file's name, a feed's title."
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        help_text="The curator who started it (empty: a command).",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    params = models.JSONField(default=dict, blank=True, help_text="The kind's own arguments.")
    inputs = models.JSONField(
        default=list,
        blank=True,
        help_text="Names in the file storage of the uploaded files kept for the job; removed "
        "when it succeeds, or some days after it failed.",
    )
    done = models.PositiveIntegerField(default=0, help_text="Items (rows, articles) done.")
    total = models.PositiveIntegerField(
        null=True, blank=True, help_text="Items to do, once known."
    )
    counts = models.JSONField(
        default=dict, blank=True, help_text="What it did: rows created, updated, unchanged…"
    )
    refused = models.JSONField(
        default=list,
        blank=True,
        help_text=f"Items refused and why (the first {REFUSED_LISTED:,}).",
    )
    refused_count = models.PositiveIntegerField(default=0)
    notes = models.JSONField(
        default=list, blank=True, help_text="Warnings worth reading (not refusals)."
    )
    output = models.CharField(max_length=500, blank=True, help_text="The file it produced.")
    summary = models.TextField(blank=True, help_text="Its outcome in a sentence.")
    error = models.TextField(blank=True, help_text="Why it failed.")
    attempt = models.PositiveIntegerField(default=1, help_text="Runs so far, retries included.")
    worker = models.CharField(max_length=200, blank=True, help_text="Where it runs or ran.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When it last reported progress."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The admin's list, newest first, filtered by state (the running and failed ones).
            models.Index(fields=["state", "-created_at"], name="job_state_created"),
        ]
        constraints = [
            # Progress never passes its total.
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=F("total")),
                name="job_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        from heritage.jobs.kinds import kind_label

        about = f": {self.description}" if self.description else ""
        return f"{kind_label(self.kind)}{about} (job {self.pk})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)

    @property
    def stalled(self) -> bool:
        """Running, but silent for longer than JOBS_STALLED_AFTER: its worker was stopped."""
        if self.state != self.State.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return timezone.now() - last > datetime.timedelta(seconds=settings.JOBS_STALLED_AFTER)

    @property
    def retryable(self) -> bool:
        return self.state == self.State.FAILED or self.stalled

    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.state == self.State.SUCCEEDED else None
        return min(100, self.done * 100 // self.total)
