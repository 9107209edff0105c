"""Jobs on the real queue: a Celery worker process (tests/jobs_worker.py) on the local Redis
runs them against the test database, and the tests read their progress and outcome from
the Job rows, as the admin does."""

import os
import signal

import pytest
from django.core.files.base import ContentFile

from heritage.jobs.models import Job
from heritage.jobs.services import job_retry, job_start
from sites.jobs import KIND as WHC
from sites.models import HeritageSite, Monument
from tests.factories import make_site
from tests.heritage.test_jobs import whc_export
from tests.jobs_worker import finished, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def sites_csv(count: int, start: int = 1) -> bytes:
    rows = "".join(f"{n},Site {n},site-{n},SY,cultural\n" for n in range(start, start + count))
    return ("unesco_id,name,slug,countries,category\n" + rows).encode()


def kept_files(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_the_admin_hands_a_large_spreadsheet_to_the_worker(queued, admin_client, settings):
    settings.SPREADSHEET_ADMIN_LIMITS = {**settings.SPREADSHEET_ADMIN_LIMITS, "max_rows": 20}
    upload = ContentFile(sites_csv(120), name="sites.csv")
    response = admin_client.post(
        "/admin/sites/heritagesite/import/",
        {"format": "0", "resource": "0", "import_file": upload},
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/jobs/job/{job.pk}/change/"
    assert (job.kind, job.description) == ("spreadsheet_import", "sites.csv (120 sites)")

    job = wait_for(job, finished, log=queued["log"])
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.total) == (120, 120)
    assert job.counts == {"created": 120, "updated": 0, "unchanged": 0}
    assert job.summary == "120 new, 0 updated and 0 unchanged sites imported from sites.csv."
    assert HeritageSite.objects.count() == 120
    assert job.worker.startswith("tests-") is False and ":" in job.worker  # host:pid
    # The upload was kept for the job only.
    assert job.inputs == [] and kept_files(queued["media"]) == []
    page = admin_client.get(f"/admin/jobs/job/{job.pk}/change/")
    assert b"120 of 120" in page.content and b"120 new, 0 updated" in page.content


def test_a_job_that_fails_midway_lists_its_rows_and_its_retry_duplicates_nothing(
    queued, admin_user
):
    make_site(slug="palmyra")
    rows = [f"palmyra,tomb-{n},Tomb {n},tower_tomb\n" for n in range(1, 61)]
    rows[44] = "aleppo,citadel,Citadel,castle\n"  # no such site yet
    data = ("site,slug,name,kind\n" + "".join(rows)).encode()
    job = job_start(
        kind="spreadsheet_import",
        by=admin_user,
        description="monuments.csv",
        params={"resource": "sites.resources.MonumentResource", "format": "csv", "rows": 60},
        uploads=[ContentFile(data, name="monuments.csv")],
    )
    job = wait_for(job, finished, log=queued["log"])
    assert job.state == Job.State.FAILED
    assert job.error.startswith("Nothing was imported: 1 row refused")
    assert job.refused_count == 1 and job.refused[0]["item"] == "Row 45"
    assert "aleppo" in job.refused[0]["reason"]
    assert not Monument.objects.exists()  # all rows or none
    assert len(kept_files(queued["media"])) == 1  # kept for the retry

    make_site(slug="aleppo")
    job = job_retry(job=job, by=admin_user)
    # Queued again; the worker may already have taken it by the time the retry returns.
    assert job.attempt == 2
    assert job.state in (Job.State.QUEUED, Job.State.RUNNING, Job.State.SUCCEEDED)
    job = wait_for(job, finished, log=queued["log"])
    assert job.state == Job.State.SUCCEEDED, job.error
    assert job.counts["created"] == 60 and job.refused_count == 0
    assert Monument.objects.count() == 60
    assert kept_files(queued["media"]) == []


def test_a_worker_killed_midway_fails_the_job_and_a_retry_duplicates_nothing(queued, admin_user):
    records = 2000
    job = job_start(
        kind=WHC,
        by=admin_user,
        description="whc.xml",
        uploads=[ContentFile(whc_export(records), name="whc.xml")],
    )
    job = wait_for(job, lambda j: j.state == Job.State.RUNNING and j.done >= 20, log=queued["log"])
    assert job.total == records
    os.kill(int(job.worker.rsplit(":", 1)[1]), signal.SIGKILL)  # the pool process running it

    job = wait_for(job, finished, log=queued["log"])
    assert job.state == Job.State.FAILED
    assert "worker process running the job stopped" in job.error
    written = HeritageSite.objects.count()
    assert 0 < written < records

    job = wait_for(job_retry(job=job, by=admin_user), finished, log=queued["log"])
    assert job.state == Job.State.SUCCEEDED, job.error
    assert HeritageSite.objects.count() == records
    assert HeritageSite.objects.values("unesco_id").distinct().count() == records
    assert job.counts["created"] + job.counts["unchanged"] == records
    assert job.counts["unchanged"] >= written - 1  # what the first run wrote, seen again
    assert (job.done, job.total) == (records, records)
