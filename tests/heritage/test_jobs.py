"""Jobs without a worker (inline: run in the request or command that starts them), their
records, inputs, retries and admin pages."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from heritage.jobs.models import Job
from heritage.jobs.services import JobNotRetryable, job_inputs_sweep, job_retry, job_start
from sites.models import HeritageSite

pytestmark = pytest.mark.django_db


def whc_export(count: int, start: int = 1, bad: set[int] = frozenset()) -> bytes:
    """A World Heritage List export of `count` records (ids from `start`); the ids in `bad`
    have a latitude that is not one."""
    rows = "".join(
        f"<row><id_number>{n}</id_number><site>Site {n}</site><category>Cultural</category>"
        f"<iso_code>sy</iso_code><region>Arab States</region><date_inscribed>1980"
        f"</date_inscribed><latitude>{'NaN' if n in bad else '34.5'}</latitude>"
        f"<longitude>38.2</longitude></row>\n"
        for n in range(start, start + count)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<query>\n{rows}</query>\n'.encode()


def stored(media_root) -> list:
    return (
        [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []
    )


def start_whc(client, data: bytes, name: str = "whc.xml"):
    return client.post("/admin/jobs/job/start/whc_import/", {"file": ContentFile(data, name=name)})


def test_without_a_worker_the_admin_runs_a_job_in_the_request_and_shows_its_outcome(
    admin_client, media_root
):
    response = start_whc(admin_client, whc_export(5, bad={3}))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/jobs/job/{job.pk}/change/"
    assert job.state == Job.State.SUCCEEDED
    assert job.worker == "in the request (no worker configured)"
    assert (job.done, job.total) == (5, 5)
    assert job.counts == {"created": 4, "updated": 0, "unchanged": 0}
    assert job.refused_count == 1 and job.refused[0]["item"] == "id 3"
    assert "latitude" in job.refused[0]["reason"]
    assert job.summary == "4 created, 0 updated, 0 unchanged, 1 skipped."
    assert HeritageSite.objects.count() == 4
    assert job.inputs == [] and stored(media_root) == []  # the upload went with the job
    page = admin_client.get(response["Location"])
    assert page.status_code == 200
    for text in ["5 of 5 (100 %)", "4 created, 0 updated", "id 3", "Succeeded"]:
        assert text.encode() in page.content
    assert b'http-equiv="refresh"' not in page.content  # finished: no reloading
    assert b"Retry" not in page.content


def test_a_second_run_of_the_same_list_duplicates_nothing(admin_client):
    start_whc(admin_client, whc_export(5))
    start_whc(admin_client, whc_export(5))
    second = Job.objects.first()
    assert second.counts == {"created": 0, "updated": 0, "unchanged": 5}
    assert HeritageSite.objects.count() == 5


def test_without_a_worker_a_request_runs_no_more_than_its_bound(admin_client, settings):
    response = start_whc(admin_client, whc_export(501))
    assert response.status_code == 200
    assert b"without a worker a page request runs at most 500" in response.content
    assert not Job.objects.exists() and not HeritageSite.objects.exists()


def test_a_file_that_is_not_the_export_is_a_form_error_and_nothing_is_kept(
    admin_client, media_root
):
    response = start_whc(admin_client, b"<html>no</html>")
    assert response.status_code == 200
    assert b"This is not a World Heritage List export" in response.content
    assert not Job.objects.exists() and stored(media_root) == []


def test_a_failed_job_keeps_its_file_for_a_retry_until_it_expires(
    admin_user, media_root, settings
):
    bad = ContentFile(b"<query><row></query>", name="broken.xml")
    job = job_start(kind="whc_import", by=admin_user, description="broken.xml", uploads=[bad])
    assert job.state == Job.State.FAILED
    assert job.error.startswith("broken.xml is not a World Heritage List export")
    assert len(stored(media_root)) == 1

    retried = job_retry(job=job, by=admin_user)
    assert (retried.state, retried.attempt) == (Job.State.FAILED, 2)
    with pytest.raises(JobNotRetryable, match="only failed or stalled"):
        job_retry(job=Job(pk=job.pk, state=Job.State.SUCCEEDED), by=admin_user)

    settings.JOBS_FAILED_INPUT_MAX_AGE = 0
    assert job_inputs_sweep() == 1
    assert stored(media_root) == []
    with pytest.raises(JobNotRetryable, match="no longer kept"):
        job_retry(job=Job.objects.get(pk=job.pk), by=admin_user)


def test_a_running_job_that_stopped_reporting_is_stalled_and_may_be_retried(admin_user, settings):
    job = Job.objects.create(kind="release_export", started_by=admin_user, state="running")
    assert not job.stalled
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALLED_AFTER + 1)
    )
    job.refresh_from_db()
    assert job.stalled and job.retryable
    assert job_retry(job=job, by=admin_user).attempt == 2


def test_the_jobs_list_searches_filters_and_retries_failed_jobs(admin_client, admin_user):
    failed = job_start(kind="whc_import", by=admin_user, uploads=[ContentFile(b"x", name="x.xml")])
    done = job_start(
        kind="whc_import", by=admin_user, uploads=[ContentFile(whc_export(1), name="w.xml")]
    )
    for query in ["", "?q=whc", "?state__exact=failed", "?kind=whc_import", "?kind=nothing"]:
        assert admin_client.get(f"/admin/jobs/job/{query}").status_code == 200
    page = admin_client.get("/admin/jobs/job/")
    for link in ["start/whc_import/", "start/articles_ingest/", "start/release_export/"]:
        assert link.encode() in page.content
    response = admin_client.post(
        "/admin/jobs/job/",
        {"action": "retry_jobs", "_selected_action": [failed.pk, done.pk]},
        follow=True,
    )
    assert b"1 job(s) retried." in response.content
    assert b"only failed or stalled jobs are retried" in response.content
    failed.refresh_from_db()
    assert failed.attempt == 2
    # The button on a failed job's page.
    assert b"Retry" in admin_client.get(f"/admin/jobs/job/{failed.pk}/change/").content
    response = admin_client.post(f"/admin/jobs/job/{failed.pk}/retry/")
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.attempt == 3
    assert admin_client.get("/admin/jobs/job/abc/retry/").status_code == 404


def test_curators_see_jobs_and_start_only_what_they_may(client, editor):
    client.force_login(editor)
    assert client.get("/admin/jobs/job/").status_code == 200
    assert client.get("/admin/jobs/job/start/whc_import/").status_code == 200
    # A release is public: only reviewers write one.
    assert client.get("/admin/jobs/job/start/release_export/").status_code == 403
    assert client.get("/admin/jobs/job/start/nothing/").status_code == 404
    assert client.get("/admin/jobs/job/start/spreadsheet_import/").status_code == 404
    assert client.get("/admin/jobs/job/add/").status_code == 403


def test_a_queued_job_waits_for_a_worker_and_its_page_reloads(admin_client, settings):
    settings.JOBS_QUEUED = True
    response = start_whc(admin_client, whc_export(3))
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED  # sent to the queue once committed
    page = admin_client.get(response["Location"])
    assert b'http-equiv="refresh"' in page.content and b"Queued" in page.content


def test_a_large_spreadsheet_goes_to_a_job_only_with_a_worker(admin_client, settings):
    settings.SPREADSHEET_ADMIN_LIMITS = {**settings.SPREADSHEET_ADMIN_LIMITS, "max_rows": 2}
    data = b"unesco_id,name,slug\n1,A,a\n2,B,b\n3,C,c\n"
    url = "/admin/sites/heritagesite/import/"
    form = {"format": "0", "resource": "0"}
    response = admin_client.post(url, {**form, "import_file": ContentFile(data, name="s.csv")})
    assert b"at most 2 are imported here" in response.content and not Job.objects.exists()

    settings.JOBS_QUEUED = True
    response = admin_client.post(url, {**form, "import_file": ContentFile(data, name="s.csv")})
    job = Job.objects.get()
    assert response.status_code == 302
    assert job.params == {
        "resource": "sites.resources.HeritageSiteResource",
        "format": "csv",
        "rows": 3,
        "input_files": 1,
    }
    # Beyond the command's limits too, or with a column nobody knows: a form error.
    settings.SPREADSHEET_COMMAND_LIMITS = {**settings.SPREADSHEET_COMMAND_LIMITS, "max_rows": 2}
    response = admin_client.post(url, {**form, "import_file": ContentFile(data, name="s.csv")})
    assert b"at most 2 are imported here" in response.content
    settings.SPREADSHEET_COMMAND_LIMITS = {**settings.SPREADSHEET_COMMAND_LIMITS, "max_rows": 9}
    odd = b"unesco_id,name,colour\n1,A,red\n2,B,red\n3,C,red\n"
    response = admin_client.post(url, {**form, "import_file": ContentFile(odd, name="s.csv")})
    assert b"Unknown column" in response.content
    assert Job.objects.count() == 1
