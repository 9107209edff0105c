"""Photos in an S3-compatible bucket, against a real S3 server (moto's, over HTTP on
127.0.0.1: tests/s3_server.py) reached with boto3 through django-storages, as in production:
content-hash names, one copy per photo, public photos served by a redirect to a signed address
(no worker streams them), originals only to curators, files removed on commit once no row
uses them, and a failed save leaving nothing in the bucket."""

import datetime
import hashlib
import hmac
import threading
import time
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from reports.images import clean_upload
from reports.models import EVIDENCE_LOCK_SPACE, Evidence
from reports.services import evidence_attach, evidence_files_kept_if_saved, report_transition
from reports.vocabularies import Status
from tests import s3_server
from tests.factories import make_monument, make_published_report, make_report
from tests.images import jpeg

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "No published photo has this address."}


def attach(report, data: bytes | None = None) -> Evidence:
    return evidence_attach(
        report=report,
        image=clean_upload(data or jpeg()),
        caption="The cella after the blast.",
        credit="A. Photographer",
        licence="cc-by-4.0",
    )


def fetch(url: str) -> tuple[int, bytes, Message]:
    """GET an address of the S3 server as a browser would: no credentials, no SDK."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - 127.0.0.1
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def signature_holds(url: str, secret_key: str, at: datetime.datetime) -> bool:
    """Whether a presigned GET address is one S3 accepts at moment `at`: within its lifetime,
    and its AWS Signature Version 4 (computed here from the documented algorithm, apart from
    boto3's) matches every parameter, the lifetime included. moto's server does not check
    signatures of presigned addresses, Amazon S3, MinIO and R2 do: this is their check."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    fields = dict(query)
    signed_at = datetime.datetime.strptime(fields["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.UTC
    )
    if not signed_at <= at <= signed_at + datetime.timedelta(seconds=int(fields["X-Amz-Expires"])):
        return False
    canonical_query = "&".join(
        f"{quote(name, safe='-_.~')}={quote(value, safe='-_.~')}"
        for name, value in sorted(query)
        if name != "X-Amz-Signature"
    )
    canonical_request = "\n".join(
        [
            "GET",
            parts.path,
            canonical_query,
            f"host:{parts.netloc}",
            "",
            "host",
            "UNSIGNED-PAYLOAD",
        ]
    )
    scope = fields["X-Amz-Credential"].split("/", 1)[1]
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            fields["X-Amz-Date"],
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    key = f"AWS4{secret_key}".encode()
    for part in scope.split("/"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["X-Amz-Signature"])


def with_query(url: str, **changes: str | None) -> str:
    """The address with some query parameters changed (None: removed)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def contents(evidence: Evidence) -> list[str]:
    return sorted(evidence.file_names())


def test_a_photo_is_stored_in_the_bucket_under_its_content_hash(bucket, media_root):
    image = clean_upload(jpeg(800, 600))
    evidence = evidence_attach(
        report=make_report(monument=make_monument()),
        image=image,
        caption="The gateway.",
        credit="A. Photographer",
        licence="cc-by-4.0",
    )
    assert bucket.keys() == sorted(
        f"evidence/{image.sha256}{suffix}" for suffix in (".jpg", "-thumbnail.jpg", "-web.jpg")
    )
    assert bucket.read(evidence.file_name("original")) == image.original
    assert bucket.read(evidence.file_name("web")) == image.web
    assert bucket.read(evidence.file_name("thumbnail")) == image.thumbnail
    head = bucket.client.head_object(Bucket=bucket.name, Key=evidence.file_name("web"))
    assert head["ContentType"] == "image/jpeg"
    assert not media_root.exists() or not any(media_root.rglob("*"))  # nothing on disk


def test_the_same_photo_for_two_reports_is_stored_once(bucket):
    first = attach(make_report(monument=make_monument()))
    stored = {
        key: bucket.client.head_object(Bucket=bucket.name, Key=key)["ETag"]
        for key in bucket.keys()
    }
    second = attach(make_published_report(monument=make_monument()))
    other = attach(make_report(monument=make_monument()), jpeg(colour="navy"))
    assert first.sha256 == second.sha256 != other.sha256
    assert bucket.keys() == sorted(contents(first) + contents(other))
    for key, etag in stored.items():  # not written again
        assert bucket.client.head_object(Bucket=bucket.name, Key=key)["ETag"] == etag


@pytest.mark.parametrize("variant", ["web", "thumbnail"])
def test_a_public_photo_redirects_to_a_signed_address_that_serves_its_bytes(
    client, bucket, settings, variant
):
    settings.API_CACHE_MAX_AGE = 60
    settings.PHOTO_URL_SECONDS = 300
    evidence = attach(make_published_report(monument=make_monument()))
    response = client.get(f"/evidence/{evidence.pk}/{variant}/")
    answered_at = datetime.datetime.now(datetime.UTC)
    assert response.status_code == 302
    assert response.content == b""  # the bytes do not pass through the worker
    assert response["Cache-Control"] == "public, max-age=60"
    assert "ETag" not in response  # a 304 would keep a signature that expires
    location = response["Location"]
    endpoint = settings.STORAGES["default"]["OPTIONS"]["endpoint_url"]
    assert location.startswith(f"{endpoint}/{bucket.name}/{evidence.file_name(variant)}?")
    fields = dict(parse_qsl(urlsplit(location).query))
    assert fields["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert fields["X-Amz-Expires"] == "300"
    assert signature_holds(location, s3_server.SECRET_KEY, answered_at)

    status, body, headers = fetch(location)
    assert status == 200
    assert body == bucket.read(evidence.file_name(variant))
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Cache-Control"] == "public, max-age=60"


def test_a_redirect_is_cached_no_longer_than_half_its_signature(client, bucket, settings):
    settings.API_CACHE_MAX_AGE = 600
    settings.PHOTO_URL_SECONDS = 120
    evidence = attach(make_published_report(monument=make_monument()))
    response = client.get(f"/evidence/{evidence.pk}/web/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "public, max-age=60"
    assert dict(parse_qsl(urlsplit(response["Location"]).query))["X-Amz-Expires"] == "120"


def test_the_bucket_refuses_an_unsigned_address_and_a_signature_refuses_changes(
    client, bucket, settings
):
    evidence = attach(make_published_report(monument=make_monument()))
    location = client.get(f"/evidence/{evidence.pk}/web/")["Location"]
    # The bucket is private: without a signature the server itself says no.
    unsigned = urlunsplit(urlsplit(location)._replace(query=""))
    status, body, _ = fetch(unsigned)
    assert status == 403, body
    for name in ("original", "thumbnail"):
        assert (
            fetch(unsigned.replace(evidence.file_name("web"), evidence.file_name(name)))[0] == 403
        )
    # The signature holds for its lifetime and not a second more; a longer one written in,
    # or another file's name, breaks it.
    signed_at = datetime.datetime.strptime(
        dict(parse_qsl(urlsplit(location).query))["X-Amz-Date"], "%Y%m%dT%H%M%SZ"
    ).replace(tzinfo=datetime.UTC)
    lifetime = datetime.timedelta(seconds=settings.PHOTO_URL_SECONDS)
    assert signature_holds(location, s3_server.SECRET_KEY, signed_at + lifetime)
    second = datetime.timedelta(seconds=1)
    assert not signature_holds(location, s3_server.SECRET_KEY, signed_at + lifetime + second)
    stretched = with_query(location, **{"X-Amz-Expires": "604800"})
    assert not signature_holds(stretched, s3_server.SECRET_KEY, signed_at)
    other_file = location.replace(evidence.file_name("web"), evidence.file_name("original"))
    assert not signature_holds(other_file, s3_server.SECRET_KEY, signed_at)


def test_the_original_only_goes_to_curators_by_a_private_signed_address(client, bucket, editor):
    evidence = attach(make_published_report(monument=make_monument()))
    response = client.get(f"/evidence/{evidence.pk}/original/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    client.force_login(editor)
    response = client.get(f"/evidence/{evidence.pk}/original/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    status, body, headers = fetch(response["Location"])
    assert status == 200
    assert body == bucket.read(evidence.file_name("original"))
    assert headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.REJECTED])
def test_an_unpublished_reports_photo_has_no_address_for_the_public(
    client, bucket, editor, status
):
    evidence = attach(make_report(monument=make_monument(), status=status))
    assert not evidence.is_public()
    for variant in ("web", "thumbnail", "original"):
        response = client.get(f"/evidence/{evidence.pk}/{variant}/")
        assert response.status_code == 404, variant
        assert "Location" not in response
        assert response.json() == NOT_FOUND
    client.force_login(editor)
    response = client.get(f"/evidence/{evidence.pk}/web/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert fetch(response["Location"])[0] == 200


def test_a_retracted_reports_photo_is_no_longer_redirected_to(client, bucket, reviewer):
    evidence = attach(make_published_report(monument=make_monument()))
    assert client.get(f"/evidence/{evidence.pk}/web/").status_code == 302
    report_transition(report=evidence.report, to=Status.RETRACTED, by=reviewer, reason="Wrong.")
    response = client.get(f"/evidence/{evidence.pk}/web/")
    assert response.status_code == 404
    assert "Location" not in response


def test_a_photo_loses_its_files_only_once_its_deletion_commits_and_no_row_uses_them(
    bucket, django_capture_on_commit_callbacks
):
    first = attach(make_report(monument=make_monument()))
    second = attach(make_report(monument=make_monument()))
    stored = contents(first)
    # A deletion rolled back removes nothing.
    with pytest.raises(RuntimeError), transaction.atomic():
        first.delete()
        raise RuntimeError("a later step failed")
    assert Evidence.objects.filter(pk=second.pk).exists() and bucket.keys() == stored
    # Before the commit the files stay; at the commit, another row still uses them.
    first = Evidence.objects.get(sha256=first.sha256, report=first.report)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first.delete()
        assert bucket.keys() == stored
    assert len(callbacks) == 1
    assert bucket.keys() == stored
    # The last row going takes them at its commit.
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
        assert bucket.keys() == stored
    assert bucket.keys() == []


def test_deleting_a_draft_report_removes_its_photos_files(
    bucket, django_capture_on_commit_callbacks
):
    report = make_report(monument=make_monument())
    attach(report)
    attach(report, jpeg(colour="navy"))
    assert len(bucket.keys()) == 6
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert bucket.keys() == []


def refuse_evidence_rows() -> None:
    """From now on the database refuses every new photo row, as a full disk would: a
    trigger, gone with the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_evidence() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'no room for the photo row'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER refuse_evidence BEFORE INSERT ON reports_evidence "
                "FOR EACH ROW EXECUTE FUNCTION refuse_evidence()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_evidence BEFORE INSERT ON reports_evidence "
                "BEGIN SELECT RAISE(ABORT, 'no room for the photo row'); END"
            )


def test_a_photo_whose_row_the_database_refuses_leaves_nothing_in_the_bucket(bucket):
    report = make_report(monument=make_monument())
    refuse_evidence_rows()
    with pytest.raises(DatabaseError, match="no room for the photo row"):
        attach(report)
    assert bucket.keys() == []
    # Inside a curator's save (the admin's), the same.
    with pytest.raises(DatabaseError, match="no room"), evidence_files_kept_if_saved():
        with transaction.atomic():
            attach(report, jpeg(colour="navy"))
    assert bucket.keys() == []
    assert not Evidence.objects.exists()


def test_a_refused_save_of_a_photo_another_report_has_leaves_its_files(bucket):
    stored = attach(make_report(monument=make_monument()))
    refuse_evidence_rows()
    with pytest.raises(DatabaseError, match="no room"), evidence_files_kept_if_saved():
        with transaction.atomic():
            attach(make_report(monument=make_monument()))
    assert bucket.keys() == contents(stored)


@pytest.mark.django_db(transaction=True)
def test_a_save_whose_commit_fails_after_storing_a_photo_leaves_nothing_in_the_bucket(bucket):
    """The files are written and the row inserted; then the commit itself fails (a deferred
    foreign key, checked at commit on SQLite and PostgreSQL alike): nothing stays."""
    report = make_report(monument=make_monument())
    with pytest.raises(IntegrityError), evidence_files_kept_if_saved():
        with transaction.atomic():
            evidence = attach(report)
            assert bucket.keys() == contents(evidence)  # written
            Evidence.objects.filter(pk=evidence.pk).update(monument_id=987654321)
    assert not Evidence.objects.exists()
    assert bucket.keys() == []
    # A save that commits keeps its files.
    with evidence_files_kept_if_saved(), transaction.atomic():
        evidence = attach(report)
    assert bucket.keys() == contents(evidence)


def waiting_for_a_photo_lock() -> bool:
    """Whether some connection waits for a photo content's lock (reports.models)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
            "AND NOT granted",
            [EVIDENCE_LOCK_SPACE],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_a_photo_stored_while_another_reports_copy_is_deleted_keeps_its_files(bucket):
    """One curator attaches a photo that another report has (its files are there: nothing
    is written) and has not committed yet; meanwhile the other report's photo is deleted and
    that commits. The removal waits for the first curator's commit, then sees the new row and
    keeps the files. Without the lock it would have deleted them under the new photo."""
    first = attach(make_report(monument=make_monument()))
    later_report = make_report(monument=make_monument())
    attached, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def attach_and_wait() -> None:
        try:
            with transaction.atomic():
                attach(later_report)
                attached.set()
                release.wait(10)
        except BaseException as error:  # reported by the test below
            errors.append(error)
            attached.set()
        finally:
            connection.close()

    def delete_first() -> None:
        try:
            first.delete()  # autocommit: its files' removal runs at once, after the commit
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    attaching = threading.Thread(target=attach_and_wait)
    attaching.start()
    assert attached.wait(10) and not errors, errors
    deleting = threading.Thread(target=delete_first)
    deleting.start()
    deadline = time.monotonic() + 10
    while not waiting_for_a_photo_lock():
        assert time.monotonic() < deadline, "the removal did not wait for the photo's lock"
        assert deleting.is_alive(), "the removal went ahead without waiting"
        time.sleep(0.02)
    release.set()
    attaching.join(10)
    deleting.join(10)
    assert not errors, errors
    assert not Evidence.objects.filter(pk=first.pk).exists()
    kept = Evidence.objects.get(report=later_report)
    assert bucket.keys() == contents(kept)
