"""The one Celery task: run an attempt of a job. Loaded by the worker (`celery -A heritage
worker`) and, to send it, by whoever queues a job."""

import os
import socket
from typing import Any

from billiard.exceptions import TimeLimitExceeded, WorkerLostError
from celery import signals
from django.conf import settings

from heritage.celery import app
from heritage.jobs.services import job_fail_lost, job_run

TASK_NAME = "jobs.run"


@app.task(name=TASK_NAME)
def run_job(job_id: int, attempt: int) -> None:
    # Where it runs, so that an operator (or a test) can find the process.
    job_run(job_id, attempt, worker=f"{socket.gethostname()}:{os.getpid()}")


@signals.task_failure.connect
def job_process_lost(
    sender: Any = None, exception: BaseException | None = None, args: Any = None, **kwargs: Any
) -> None:
    """job_run catches what a job raises, so a failure seen here is the process running it
    dying under it: killed, out of memory, or stopped at the time limit. The worker's main
    process tells, and the job is marked failed at once (a retry runs it again)."""
    if getattr(sender, "name", None) != TASK_NAME or not args:
        return
    job_id, attempt = args[0], args[1]
    if isinstance(exception, TimeLimitExceeded):
        reason = (
            f"The job ran longer than {settings.CELERY_TASK_TIME_LIMIT:,} seconds "
            "(JOBS_TIME_LIMIT) and was stopped. Nothing it did in its last step was kept."
        )
    elif isinstance(exception, WorkerLostError):
        reason = (
            "The worker process running the job stopped (killed, or out of memory): retry it. "
            "A retry never duplicates rows."
        )
    else:
        reason = f"The worker could not run the job ({type(exception).__name__}): retry it."
    job_fail_lost(job_id, attempt, reason)
