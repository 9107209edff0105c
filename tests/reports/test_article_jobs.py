"""Jobs of the reports app without a worker: many articles (files or a feed's entries) through
ingest_article, one bad article refused while the rest go on, and releases."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from heritage.jobs.models import Job
from heritage.jobs.services import JobNotRetryable, job_retry
from reports.models import DamageReport, SourceArticle

pytestmark = pytest.mark.django_db

BEL = (
    "Temple of Bel destroyed\n"
    "Militants blew up the Temple of Bel in Palmyra on 30 August 2015, witnesses said."
)
ARCH = (
    "Arch blown up\n"
    "The Monumental Arch of Palmyra was blown up on 4 October 2015, the antiquities chief said."
)


def feed(*items: tuple[str, str, str]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<pubDate>Mon, 31 Aug 2015 10:00:00 GMT</pubDate><description>{text}</description>"
        "</item>"
        for title, link, text in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Heritage News</title>'
        f"<link>https://news.example.org/</link>{entries}</channel></rss>"
    ).encode()


def start(client, **files):
    data = {"language": "en", "publisher": ""}
    return client.post("/admin/jobs/job/start/articles_ingest/", {**data, **files})


def test_a_feed_is_ingested_entry_by_entry_and_a_bad_entry_does_not_stop_the_rest(
    demo, admin_client, media_root
):
    before = DamageReport.objects.count()
    xml = feed(
        (
            "Temple of Bel destroyed",
            "https://news.example.org/bel",
            "&lt;p&gt;Militants blew up the Temple of Bel in Palmyra on 30 August 2015.&lt;/p&gt;",
        ),
        ("Only a title", "https://news.example.org/empty", ""),
        (
            "Arch blown up",
            "https://news.example.org/arch",
            "The Monumental Arch of Palmyra was blown up on 4 October 2015.",
        ),
    )
    response = start(admin_client, feed=ContentFile(xml, name="news.rss"))
    job = Job.objects.get()
    assert response.status_code == 302
    assert job.description == "3 entries of the feed “Heritage News”"
    assert job.state == Job.State.SUCCEEDED, job.error
    assert (job.done, job.total) == (3, 3)
    assert job.counts["articles stored"] == 2 and job.counts["drafts proposed"] >= 2
    assert job.refused_count == 1
    assert job.refused[0]["item"] == "entry 2 “Only a title”"
    assert "no article under it" in job.refused[0]["reason"]
    bel = SourceArticle.objects.get(url="https://news.example.org/bel")
    assert (bel.publisher, str(bel.published_on)) == ("Heritage News", "2015-08-31")
    assert bel.title == "Temple of Bel destroyed" and "<p>" not in bel.text
    proposed = DamageReport.objects.count()
    assert proposed > before
    assert stored_files(media_root) == []

    # The same feed again: every article recognised, nothing proposed twice.
    start(admin_client, feed=ContentFile(xml, name="news.rss"))
    again = Job.objects.first()
    assert again.counts.get("articles stored", 0) == 0
    assert again.counts["already recorded"] == 2 and again.counts["drafts proposed"] == 0
    assert DamageReport.objects.count() == proposed


def test_article_files_are_ingested_one_by_one(demo, admin_client):
    response = start(
        admin_client,
        articles=[
            ContentFile(BEL.encode(), name="bel.txt"),
            ContentFile(b"\x00\x01binary", name="photo.jpg"),
            ContentFile(ARCH.encode(), name="arch.txt"),
        ],
        publisher="Example News",
    )
    job = Job.objects.get()
    assert response.status_code == 302 and job.state == Job.State.SUCCEEDED
    assert job.description == "3 article files"
    assert job.counts["articles stored"] == 2
    assert job.refused == [
        {"item": "photo.jpg", "reason": "This is a binary file, not a text or a saved web page."}
    ]
    assert set(SourceArticle.objects.values_list("publisher", flat=True)) >= {"Example News"}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "Upload article files or a feed (one of the two)."),
        (
            {"feed": ContentFile(b"<html><body>hi</body></html>", name="x.rss")},
            "This feed cannot be read: it is not an RSS or Atom feed.",
        ),
    ],
)
def test_what_cannot_be_ingested_is_a_form_error(admin_client, files, message):
    response = start(admin_client, **files)
    assert response.status_code == 200 and message.encode() in response.content
    assert not Job.objects.exists()


def test_without_a_worker_a_request_ingests_at_most_20_articles(admin_client):
    files = [ContentFile(f"{BEL}\n{n}".encode(), name=f"{n}.txt") for n in range(21)]
    response = start(admin_client, articles=files)
    assert b"without a worker a page request runs at most 20" in response.content
    assert not SourceArticle.objects.exists()


def test_a_reviewer_writes_a_release_as_a_job(demo, client, reviewer, settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "releases"
    client.force_login(reviewer)
    response = client.post("/admin/jobs/job/start/release_export/", {"date": "2016-03-27"})
    job = Job.objects.get()
    assert response.status_code == 302 and job.state == Job.State.SUCCEEDED, job.error
    release = Path(job.output)
    assert release == tmp_path / "releases" / "heritage-damage-2016-03-27"
    assert (release / "SHA256SUMS").is_file()
    assert job.counts["reports"] == DamageReport.objects.public().count()
    assert job.done == job.total == 2 * sum(job.counts.values())
    assert job.summary.startswith("Wrote the release heritage-damage-2016-03-27 (")
    # The same date again: refused, the first release untouched.
    client.post("/admin/jobs/job/start/release_export/", {"date": "2016-03-27"})
    again = Job.objects.first()
    assert again.state == Job.State.FAILED and "exists already" in again.error


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_the_command_ingests_a_folder_and_reports_the_bad_article(demo, tmp_path, capsys):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "bel.txt").write_text(BEL)
    (folder / "arch.html").write_text(
        "<html><head><title>Arch blown up</title></head><body><article><p>"
        + ARCH.split("\n")[1]
        + "</p></article></body></html>"
    )
    (folder / "empty.txt").write_text("Title only\n")
    (folder / "notes.doc").write_bytes(b"ignored: not an article's suffix")
    call_command("ingest_articles", str(folder), "--publisher", "Example News")
    out, err = capsys.readouterr()
    job = Job.objects.get()
    assert out.strip() == f"{job.summary} (job {job.pk})"
    assert job.summary.startswith("2 articles stored, 0 already recorded,")
    assert err.strip() == "refused empty.txt: The text has a title line but no article under it."
    with pytest.raises(JobNotRetryable, match="run the command again"):
        job_retry(job=Job.objects.get(pk=job.pk, state=Job.State.SUCCEEDED), by=None)


def test_the_command_reads_a_feed_and_refuses_what_is_not_one(demo, tmp_path, capsys):
    path = tmp_path / "news.rss"
    path.write_bytes(feed(("Arch blown up", "https://news.example.org/arch", ARCH)))
    call_command("ingest_articles", str(path))
    assert "1 article stored" in capsys.readouterr().out
    path.write_text("not a feed")
    with pytest.raises(CommandError, match="news.rss cannot be read: it is not an RSS or Atom"):
        call_command("ingest_articles", str(path))
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("ingest_articles", str(tmp_path / "nothing"))
