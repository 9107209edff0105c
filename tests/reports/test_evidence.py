"""Photo evidence: only real photos are accepted, all metadata goes, files are served only as
publication allows."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reports.images import ImageRejected, clean_upload
from reports.models import Evidence
from reports.services import evidence_attach
from reports.vocabularies import Status
from tests.admin_pages import admin_url
from tests.factories import make_monument, make_published_report, make_report
from tests.images import BAD_FILES, XMP, jpeg, jpeg_with_gps_and_rotation

pytestmark = pytest.mark.django_db


def files_on_disk(root) -> list[str]:
    return (
        sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
    )


def attach(report, data: bytes | None = None, **fields) -> Evidence:
    values = {
        "caption": "The cella after the blast.",
        "credit": "A. Photographer",
        "licence": "cc-by-4.0",
    }
    return evidence_attach(report=report, image=clean_upload(data or jpeg()), **(values | fields))


def evidence_post(report, upload: SimpleUploadedFile) -> dict:
    return {
        "report": report.pk,
        "upload": upload,
        "caption": "The cella after the blast.",
        "credit": "A. Photographer",
        "licence": "cc-by-4.0",
        "taken_on": "",
        "monument": "",
    }


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_form_error_and_leaves_nothing(
    admin_client, media_root, name
):
    data, message = BAD_FILES[name]
    report = make_report(monument=make_monument())
    upload = SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")
    response = admin_client.post(admin_url(Evidence, "add"), evidence_post(report, upload))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["upload"]
    assert message in " ".join(errors), errors
    assert not Evidence.objects.exists()
    assert files_on_disk(media_root) == []


def test_a_photo_loses_all_metadata_and_is_turned_upright(media_root):
    evidence = attach(make_report(monument=make_monument()), jpeg_with_gps_and_rotation())
    assert (evidence.width, evidence.height) == (20, 40)
    for variant in ("original", "web", "thumbnail"):
        raw = default_storage.open(evidence.file_name(variant)).read()
        image = Image.open(io.BytesIO(raw))
        assert dict(image.getexif()) == {}, variant
        assert "exif" not in image.info and "xmp" not in image.info, variant
        assert b"Secret Name" not in raw and XMP[:20] not in raw, variant
    upright = Image.open(default_storage.open(evidence.file_name("original"))).convert("RGB")
    assert upright.size == (20, 40)
    red, blue = upright.getpixel((10, 5)), upright.getpixel((10, 35))
    assert red[0] > 200 and red[2] < 60, red  # the left (red) half is now on top
    assert blue[2] > 200 and blue[0] < 60, blue


def test_files_are_named_by_content_and_stored_once(media_root):
    report = make_report(monument=make_monument())
    first = attach(report)
    second = attach(make_report(monument=make_monument()))
    assert first.sha256 == second.sha256
    assert files_on_disk(media_root) == sorted(
        f"evidence/{first.sha256}{suffix}" for suffix in (".jpg", "-thumbnail.jpg", "-web.jpg")
    )


def test_the_web_size_and_thumbnail_are_bounded(media_root):
    evidence = attach(make_report(monument=make_monument()), jpeg(3000, 2000))
    web = Image.open(default_storage.open(evidence.file_name("web")))
    thumbnail = Image.open(default_storage.open(evidence.file_name("thumbnail")))
    assert (web.size, thumbnail.size) == ((1600, 1067), (320, 213))
    assert (evidence.width, evidence.height) == (3000, 2000)


def test_the_same_photo_twice_on_one_report_is_refused():
    report = make_report(monument=make_monument())
    attach(report)
    with pytest.raises(Exception, match="already attached"):
        attach(report)


def test_deleting_a_photo_deletes_its_files_unless_shared(
    media_root, django_capture_on_commit_callbacks
):
    shared = attach(make_report(monument=make_monument()))
    other = attach(make_report(monument=make_monument()))
    with django_capture_on_commit_callbacks(execute=True):
        shared.delete()
    assert len(files_on_disk(media_root)) == 3  # the other report still uses them
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert files_on_disk(media_root) == []


def test_an_editor_adds_a_photo_on_the_report_page(client, editor, media_root):
    report = make_report(monument=make_monument())
    client.force_login(editor)
    from tests.reports.test_admin import change_form

    data = change_form(report) | {
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-0-upload": SimpleUploadedFile("bel.jpg", jpeg_with_gps_and_rotation()),
        "evidence-0-caption": "The gateway.",
        "evidence-0-credit": "A. Photographer",
        "evidence-0-licence": "cc-by-sa-4.0",
    }
    response = client.post(admin_url(report.__class__, "change", report.pk), data)
    assert response.status_code == 302, response.context["errors"]
    (evidence,) = report.evidence.all()
    assert evidence.caption == "The gateway."
    page = client.get(admin_url(report.__class__, "change", report.pk)).content.decode()
    assert f"/evidence/{evidence.pk}/thumbnail/" in page
    listing = client.get(admin_url(Evidence, "changelist")).content.decode()
    assert f'<img src="/evidence/{evidence.pk}/thumbnail/"' in listing


def test_a_bad_photo_on_the_report_page_saves_nothing(client, editor, media_root):
    report = make_report(monument=make_monument(), summary="Before.")
    client.force_login(editor)
    from tests.reports.test_admin import change_form

    data = change_form(report, summary="After.") | {
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-0-upload": SimpleUploadedFile("x.jpg", b"<html></html>"),
        "evidence-0-caption": "c",
        "evidence-0-credit": "c",
        "evidence-0-licence": "cc0-1.0",
    }
    response = client.post(admin_url(report.__class__, "change", report.pk), data)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.summary == "Before."
    assert files_on_disk(media_root) == []


def test_published_photos_are_in_the_api_and_served_publicly(client):
    report = make_published_report(monument=make_monument())
    evidence = attach(report)
    body = client.get(f"/api/v1/reports/{report.pk}/").json()
    (photo,) = body["evidence"]
    assert photo["caption"] == "The cella after the blast."
    assert photo["licence"] == "cc-by-4.0"
    assert photo["image"].endswith(f"/evidence/{evidence.pk}/web/")
    response = client.get(f"/evidence/{evidence.pk}/web/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"]
    # The original stays with the curators.
    assert client.get(f"/evidence/{evidence.pk}/original/").status_code == 404


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.REJECTED])
def test_unpublished_photos_are_served_to_curators_only(client, editor, status):
    report = make_report(monument=make_monument(), status=status)
    evidence = attach(report)
    for variant in ("web", "thumbnail", "original"):
        assert client.get(f"/evidence/{evidence.pk}/{variant}/").status_code == 404
    client.force_login(editor)
    response = client.get(f"/evidence/{evidence.pk}/web/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_an_unknown_variant_is_not_found(client):
    evidence = attach(make_published_report(monument=make_monument()))
    assert client.get(f"/evidence/{evidence.pk}/secret/").status_code == 404


def test_every_bad_file_is_refused_by_the_checker_too():
    for data, message in BAD_FILES.values():
        with pytest.raises(ImageRejected, match=message):
            clean_upload(data)


def test_the_photo_evidence_add_page_stores_one_photo(client, editor, media_root):
    report = make_report(monument=make_monument())
    client.force_login(editor)
    upload = SimpleUploadedFile("photo.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(admin_url(Evidence, "add"), evidence_post(report, upload))
    assert response.status_code == 302, response.context["errors"]
    (evidence,) = report.evidence.all()
    assert evidence.history.count() == 1  # written once
    assert len(files_on_disk(media_root)) == 3


def test_a_photo_the_report_already_has_is_a_form_error_on_both_pages(client, editor, media_root):
    report = make_report(monument=make_monument())
    attach(report)
    before = files_on_disk(media_root)
    client.force_login(editor)
    upload = SimpleUploadedFile("again.jpg", jpeg(), content_type="image/jpeg")
    response = client.post(admin_url(Evidence, "add"), evidence_post(report, upload))
    assert response.status_code == 200
    assert "already attached" in " ".join(response.context["adminform"].form.errors["upload"])

    from tests.reports.test_admin import change_form

    data = change_form(report) | {
        "evidence-TOTAL_FORMS": "2",
        "evidence-INITIAL_FORMS": "1",
        "evidence-0-id": str(report.evidence.get().pk),
        "evidence-0-report": str(report.pk),
        "evidence-0-caption": "The cella after the blast.",
        "evidence-0-credit": "A. Photographer",
        "evidence-0-licence": "cc-by-4.0",
        "evidence-1-upload": SimpleUploadedFile("again.jpg", jpeg()),
        "evidence-1-caption": "Again.",
        "evidence-1-credit": "c",
        "evidence-1-licence": "cc0-1.0",
    }
    response = client.post(admin_url(report.__class__, "change", report.pk), data)
    assert response.status_code == 200
    assert "already attached" in str(response.context["inline_admin_formsets"][1].formset.errors)
    assert report.evidence.count() == 1
    assert files_on_disk(media_root) == before


def test_the_same_new_photo_twice_in_one_save_is_a_form_error(client, editor, media_root):
    report = make_report(monument=make_monument(), summary="Before.")
    client.force_login(editor)
    from tests.reports.test_admin import change_form

    data = change_form(report, summary="After.") | {
        "evidence-TOTAL_FORMS": "2",
        "evidence-INITIAL_FORMS": "0",
    }
    for index in (0, 1):
        data |= {
            f"evidence-{index}-upload": SimpleUploadedFile(f"{index}.jpg", jpeg()),
            f"evidence-{index}-caption": "The gateway.",
            f"evidence-{index}-credit": "A. Photographer",
            f"evidence-{index}-licence": "cc-by-sa-4.0",
        }
    response = client.post(admin_url(report.__class__, "change", report.pk), data)
    assert response.status_code == 200
    errors = str(response.context["inline_admin_formsets"][1].formset.errors)
    assert "The same photo is added twice in this save." in errors
    report.refresh_from_db()
    assert report.summary == "Before." and not report.evidence.exists()
    assert files_on_disk(media_root) == []


def test_a_save_that_fails_after_storing_a_photo_leaves_no_file(media_root):
    from django.db import transaction

    from reports.services import evidence_files_kept_if_saved

    report = make_report(monument=make_monument())
    with pytest.raises(RuntimeError), evidence_files_kept_if_saved():
        with transaction.atomic():
            attach(report)
            assert len(files_on_disk(media_root)) == 3
            raise RuntimeError("a later step of the same save failed")
    assert not report.evidence.exists()
    assert files_on_disk(media_root) == []
    # A save that succeeds keeps its files.
    with evidence_files_kept_if_saved(), transaction.atomic():
        attach(report)
    assert len(files_on_disk(media_root)) == 3


def test_an_oversized_upload_is_refused_before_it_is_read(tmp_path):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    from reports.images import clean_uploaded_file

    upload = TemporaryUploadedFile("huge.jpg", "image/jpeg", 191 * 1024 * 1024, None)
    upload.file.truncate(191 * 1024 * 1024)  # sparse: 191 MB that take no disk
    with pytest.raises(ImageRejected, match="191 MB"):
        clean_uploaded_file(upload)
    assert upload.tell() == 0  # not a byte read
    upload.close()


def test_the_stored_photo_keeps_only_the_standard_srgb_profile(media_root):
    from PIL import ImageCms

    from reports.images import SRGB_BYTES

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    smuggled = srgb + b"SMUGGLED-TEXT-IN-THE-PROFILE"
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 30, 30)).save(buffer, "JPEG", icc_profile=smuggled)
    evidence = attach(make_report(monument=make_monument()), buffer.getvalue())
    raw = default_storage.open(evidence.file_name("original")).read()
    assert b"SMUGGLED" not in raw
    stored = Image.open(io.BytesIO(raw))
    assert stored.info.get("icc_profile") == SRGB_BYTES
    red = stored.convert("RGB").getpixel((5, 5))
    assert red[0] > 180 and red[1] < 60, red  # colours survive the conversion


def test_a_profile_that_does_not_fit_the_pixels_is_dropped(media_root):
    from PIL import ImageCms

    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    buffer = io.BytesIO()
    Image.new("L", (30, 20), 90).save(buffer, "PNG", icc_profile=lab + b"SMUGGLED")
    evidence = attach(make_report(monument=make_monument()), buffer.getvalue())
    raw = default_storage.open(evidence.file_name("original")).read()
    assert b"SMUGGLED" not in raw
    assert "icc_profile" not in Image.open(io.BytesIO(raw)).info


def test_a_new_report_is_added_with_its_photo(client, editor, media_root):
    from tests.reports.test_admin import report_form

    client.force_login(editor)
    data = report_form(make_monument()) | {
        "evidence-TOTAL_FORMS": "1",
        "evidence-0-upload": SimpleUploadedFile("bel.jpg", jpeg()),
        "evidence-0-caption": "The gateway.",
        "evidence-0-credit": "A. Photographer",
        "evidence-0-licence": "cc-by-sa-4.0",
    }
    response = client.post(admin_url(Evidence.report.field.related_model, "add"), data)
    assert response.status_code == 302, response.context["errors"]
    assert Evidence.objects.get().report.summary == "The cella was blown up."
    assert len(files_on_disk(media_root)) == 3


def test_a_photo_taken_in_the_future_is_a_form_error_and_stores_nothing(
    client, editor, media_root
):
    """As articles and damage cannot be dated in the future, nor can a photo (an outside probe
    saved one taken on 1 January 2099)."""
    report = make_report(monument=make_monument())
    client.force_login(editor)
    upload = SimpleUploadedFile("photo.jpg", jpeg(), content_type="image/jpeg")
    data = {**evidence_post(report, upload), "taken_on": "2099-01-01"}
    response = client.post(admin_url(Evidence, "add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["taken_on"]
    assert "cannot be dated in the future" in " ".join(errors)
    assert not Evidence.objects.exists()
    assert files_on_disk(media_root) == []
