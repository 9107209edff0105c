"""Starting, running and retrying jobs.

A job is a Job row first, committed, then either queued (CELERY_BROKER_URL set: a worker runs
it, `heritage.jobs.tasks.run_job`) or run at once in the caller's process (no broker: the
request or command that starts it). Either way `job_run` does the work, once per attempt: a
message for an attempt already taken, or superseded by a retry, is ignored.

Input files are kept in Django's storage under jobs/ for as long as the job may need them:
removed when it succeeds, kept after a failure so that it can be retried, until
JOBS_FAILED_INPUT_MAX_AGE has passed or the job is deleted."""

from __future__ import annotations

import datetime
import logging
import os
import secrets
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename

from heritage.jobs.kinds import get_kind
from heritage.jobs.models import REFUSED_LISTED, Job

logger = logging.getLogger(__name__)

INPUT_FOLDER = "jobs"
#: Progress is written at most this often (seconds), and always at the end.
PROGRESS_EVERY = 1.0


class JobFailed(Exception):
    """Raised by a kind's run: the job failed, for the reason given (one sentence for the
    curator)."""


class JobNotRetryable(Exception):
    """A retry that cannot be made; the message says why."""


@dataclass(frozen=True)
class JobInput:
    """One input file of a job: its storage name, or, for a command, a path on disk."""

    name: str
    path: str = ""

    @property
    def filename(self) -> str:
        """The file's own name, as the curator uploaded it."""
        return os.path.basename(self.path or self.name)

    def open(self) -> IO[bytes]:
        if self.path:
            return open(self.path, "rb")  # noqa: SIM115 - the caller closes it
        return default_storage.open(self.name, "rb")


class JobRun:
    """What a kind's run function is given: the job's params and inputs, and where to put
    progress and outcome. Progress goes to the Job row at most every PROGRESS_EVERY seconds."""

    def __init__(self, job: Job, inputs: list[JobInput] | None = None) -> None:
        self.job = job
        self.params: dict[str, Any] = job.params
        self.by = job.started_by
        self._inputs = inputs
        self.done, self.total = 0, job.total
        self.counts: dict[str, int] = {}
        self.refused: list[dict[str, str]] = []
        self.refused_count = 0
        self.notes: list[str] = []
        self.output = ""
        self.summary = ""
        self._written = 0.0
        self._side: Any = None  # a connection of its own, during a long transaction

    def inputs(self) -> list[JobInput]:
        if self._inputs is not None:
            return self._inputs
        return [JobInput(name) for name in self.job.inputs]

    def set_total(self, total: int | None) -> None:
        self.total = total
        self.write_progress(force=True)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.total is not None and self.done > self.total:
            self.total = self.done
        self.write_progress()

    def add(self, counter: str, number: int = 1) -> None:
        self.counts[counter] = self.counts.get(counter, 0) + number

    def refuse(self, item: str, reason: str) -> None:
        """An item (a row, an article) that was not taken, and why."""
        self.refused_count += 1
        if len(self.refused) < REFUSED_LISTED:
            self.refused.append({"item": item, "reason": reason})

    def note(self, message: str) -> None:
        if len(self.notes) < REFUSED_LISTED:
            self.notes.append(message)

    @contextmanager
    def long_transaction(self) -> Iterator[None]:
        """Around work done in one transaction (a spreadsheet, all rows or none). Its progress
        must be seen while it runs, so on PostgreSQL it is written through a connection of its
        own. SQLite allows one writer at a time: there it shows when the transaction ends."""
        own = connection.vendor == "postgresql" and not connection.in_atomic_block
        if own:
            self._side = connections.create_connection("default")
        try:
            yield
        finally:
            if own:
                self._side.close()
                self._side = None

    def write_progress(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < PROGRESS_EVERY:
            return
        self._written = now
        values = {
            "done": self.done,
            "total": self.total,
            "refused_count": self.refused_count,
            "heartbeat_at": timezone.now(),
        }
        if self._side is None:
            Job.objects.filter(pk=self.job.pk).update(**values)
            return
        columns = ", ".join(f"{name} = %s" for name in values)  # columns named as fields
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET {columns} WHERE id = %s",  # noqa: S608 - our own column names
                [*values.values(), self.job.pk],
            )


# --- Starting -------------------------------------------------------------------------------


def job_start(
    *,
    kind: str,
    by: Any,
    description: str = "",
    params: dict[str, Any] | None = None,
    uploads: Iterable[File] = (),
) -> Job:
    """Record a job, keep its uploaded files, and queue it (or, without a broker, run it
    here, now). Returns the job as it stands: finished when run here."""
    get_kind(kind)  # KeyError for a kind nobody registered
    job_inputs_sweep()
    names: list[str] = []
    try:
        for upload in uploads:
            names.append(_keep(upload))
        job = Job.objects.create(
            kind=kind,
            started_by=by if getattr(by, "pk", None) else None,
            description=description[:300],
            params={**(params or {}), "input_files": len(names)},
            inputs=names,
        )
    except BaseException:
        _remove(names)
        raise
    _dispatch(job)
    job.refresh_from_db()
    return job


def job_retry(*, job: Job, by: Any) -> Job:
    """Run a failed (or stalled) job again, from the start. Its kind makes a second run
    harmless: rows are keyed or written in one transaction, articles recognised."""
    if job.params.get("local_files"):
        raise JobNotRetryable(
            f"Job {job.pk} was run by a command on files of the server: run the command again."
        )
    if not job.retryable:
        raise JobNotRetryable(
            f"Job {job.pk} is {job.get_state_display().lower()}: only failed or stalled jobs "
            "are retried."
        )
    kept = [name for name in job.inputs if default_storage.exists(name)]
    if len(kept) < job.params.get("input_files", 0):
        raise JobNotRetryable(
            f"Job {job.pk}'s uploaded files are no longer kept (they are kept "
            f"{settings.JOBS_FAILED_INPUT_MAX_AGE // 86400} days after a failure): start it "
            "again with the file."
        )
    stalled_before = timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALLED_AFTER)
    retried = Job.objects.filter(
        Q(state=Job.State.FAILED)
        | Q(state=Job.State.RUNNING, heartbeat_at__lt=stalled_before)
        | Q(state=Job.State.RUNNING, heartbeat_at__isnull=True, started_at__lt=stalled_before),
        pk=job.pk,
        attempt=job.attempt,
    ).update(
        state=Job.State.QUEUED,
        attempt=job.attempt + 1,
        done=0,
        total=None,
        counts={},
        refused=[],
        refused_count=0,
        notes=[],
        output="",
        summary="",
        error="",
        worker="",
        started_at=None,
        heartbeat_at=None,
        finished_at=None,
    )
    if not retried:
        raise JobNotRetryable(f"Job {job.pk} was retried by someone else meanwhile.")
    job.refresh_from_db()
    logger.info("Job %s retried by %s (attempt %s)", job.pk, by, job.attempt)
    _dispatch(job)
    job.refresh_from_db()
    return job


def job_run_here(
    *, kind: str, by: Any, description: str, params: dict[str, Any], paths: list[str]
) -> Job:
    """Run a job now, in this process, on files of this machine's disk (a management
    command): recorded as any other, so the admin lists it; the files are the command's,
    neither copied nor removed, so the admin cannot retry it (the command can run again)."""
    get_kind(kind)
    job = Job.objects.create(
        kind=kind,
        started_by=by,
        description=description[:300],
        params={**params, "local_files": len(paths)},
    )
    done = job_run(
        job.pk,
        job.attempt,
        worker=f"a command on {socket.gethostname()}",
        inputs=[JobInput(name=path, path=path) for path in paths],
    )
    assert done is not None  # noqa: S101 - just created, queued for this attempt
    return done


def _dispatch(job: Job) -> None:
    if settings.JOBS_QUEUED:
        transaction.on_commit(lambda: _enqueue(job.pk, job.attempt))
    else:
        job_run(job.pk, job.attempt, worker="in the request (no worker configured)")


def _enqueue(job_id: int, attempt: int) -> None:
    from heritage.jobs.tasks import run_job

    try:
        run_job.apply_async((job_id, attempt), retry=True)
    except Exception as error:  # kombu's OperationalError, redis' ConnectionError, …
        logger.warning("Job %s could not be queued: %s", job_id, error)
        Job.objects.filter(pk=job_id, attempt=attempt, state=Job.State.QUEUED).update(
            state=Job.State.FAILED,
            error="The job queue could not be reached (is Redis running?): retry the job once "
            "it is back.",
            finished_at=timezone.now(),
        )


# --- Running --------------------------------------------------------------------------------


def job_run(
    job_id: int, attempt: int, *, worker: str, inputs: list[JobInput] | None = None
) -> Job | None:
    """Do one attempt of a job, if it is still queued for that attempt (None otherwise)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, attempt=attempt, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, worker=worker[:200]
    )
    if not claimed:
        logger.info("Job %s attempt %s is not queued any more: not run", job_id, attempt)
        return None
    job = Job.objects.select_related("started_by").get(pk=job_id)
    run = JobRun(job, inputs)
    try:
        get_kind(job.kind).run(run)
    except JobFailed as failure:
        job.state, job.error = Job.State.FAILED, str(failure)
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job.state = Job.State.FAILED
        job.error = (
            f"The job stopped on an unexpected error ({type(error).__name__}); the "
            "administrators' log has the details. Retry it, or ask them."
        )
    else:
        job.state = Job.State.SUCCEEDED
    job.done, job.total = run.done, run.total if run.total is not None else run.done
    job.done = min(job.done, job.total)
    job.counts, job.refused, job.refused_count = run.counts, run.refused, run.refused_count
    job.notes, job.output, job.summary = run.notes, run.output[:500], run.summary
    job.finished_at = job.heartbeat_at = timezone.now()
    if job.state == Job.State.SUCCEEDED and job.inputs:
        _remove(job.inputs)
        job.inputs = []
    job.save()
    return job


def job_fail_lost(job_id: int, attempt: int, reason: str) -> None:
    """The process running an attempt died (killed, out of memory, over its time limit)."""
    Job.objects.filter(
        pk=job_id, attempt=attempt, state__in=[Job.State.QUEUED, Job.State.RUNNING]
    ).update(state=Job.State.FAILED, error=reason, finished_at=timezone.now())


# --- Input files ----------------------------------------------------------------------------


def _keep(upload: File) -> str:
    name = get_valid_filename(os.path.basename(upload.name or "upload"))[-100:] or "upload"
    if hasattr(upload, "seek"):
        upload.seek(0)
    return default_storage.save(f"{INPUT_FOLDER}/{secrets.token_hex(12)}/{name}", upload)


def _remove(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError as error:  # already gone, or the store failing: logged, not fatal
            logger.warning("Could not remove the job input %s: %s", name, error)


def job_inputs_remove(job: Job) -> None:
    """Remove a job's input files (a deleted job, an expired failure)."""
    _remove(job.inputs)
    Job.objects.filter(pk=job.pk).update(inputs=[])


def job_inputs_sweep() -> int:
    """Remove the inputs of jobs that failed longer than JOBS_FAILED_INPUT_MAX_AGE ago;
    returns how many jobs had theirs removed."""
    expired = list(Job.objects.with_inputs_expired())
    for job in expired:
        job_inputs_remove(job)
    return len(expired)
