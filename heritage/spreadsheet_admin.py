"""The admin's spreadsheet import pages: files checked before anything is kept, uploads kept
only between a good preview and its confirmation, confirmation all or nothing.

django-import-export keeps each upload in a temporary file from the preview to the
confirmation. Its own storage left every refused or unconfirmed upload in /tmp for good; here
an upload is removed as soon as its preview is refused, once confirmed, and, unconfirmed,
by the next import after SPREADSHEET_UPLOAD_MAX_AGE seconds.
"""

import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from import_export.forms import ImportForm
from import_export.tmp_storages import BaseStorage

from heritage.jobs.services import job_start
from heritage.spreadsheet_import import KIND as SPREADSHEET_JOB
from heritage.spreadsheets import (
    FORMATS,
    SpreadsheetRefused,
    TooLarge,
    TooManyRows,
    admin_limits,
    command_limits,
    iter_spreadsheet,
    megabytes,
)

_UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}$")


class UploadExpired(Exception):
    pass


class SpreadsheetUploadStorage(BaseStorage):
    """Uploads waiting for their confirmation, in SPREADSHEET_UPLOAD_DIR (readable by this
    process's user only), named by a random token."""

    @staticmethod
    def folder() -> Path:
        folder = Path(settings.SPREADSHEET_UPLOAD_DIR)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder

    def path(self) -> Path:
        if not self.name or not _UPLOAD_NAME.match(self.name):
            raise UploadExpired
        return self.folder() / self.name

    def save(self, data: bytes) -> None:
        self.name = os.urandom(16).hex()
        descriptor = os.open(self.path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)

    def read(self) -> bytes:
        try:
            return self.path().read_bytes()
        except FileNotFoundError:
            raise UploadExpired from None

    def remove(self) -> None:
        if self.name and _UPLOAD_NAME.match(self.name):
            self.path().unlink(missing_ok=True)

    @classmethod
    def remove_expired(cls) -> int:
        """Remove the uploads older than SPREADSHEET_UPLOAD_MAX_AGE; returns how many."""
        oldest = time.time() - settings.SPREADSHEET_UPLOAD_MAX_AGE
        removed = 0
        for path in cls.folder().iterdir():
            try:
                if _UPLOAD_NAME.match(path.name) and path.stat().st_mtime < oldest:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:  # another process removed it first
                continue
        return removed


def command_hint(resource_class: Any) -> str:
    name = getattr(resource_class, "command_name", "")
    return (
        f" Larger files are imported by the command "
        f"`manage.py import_spreadsheet {name} FILE`, in one transaction, "
        "outside any web request (ask an administrator)."
    )


class SpreadsheetImportForm(ImportForm):
    """The upload form. The whole file is read within the admin's limits and its columns
    checked before it is kept anywhere: a refused file is a form error, and never stored.

    With a worker configured (settings.JOBS_QUEUED), a file beyond the admin's limits but
    within the command's is read again within those, and, if it is good, handed to a job
    (`job_rows` says how many rows) instead of the preview."""

    job_rows: int | None = None

    def __init__(self, formats: list, resources: list, **kwargs) -> None:
        super().__init__(formats, resources, **kwargs)
        self.spreadsheet_formats = formats
        self.spreadsheet_resources = resources
        limits = admin_limits()
        self.fields["import_file"].help_text = (
            f"CSV (UTF-8) or XLSX, at most {megabytes(limits.max_bytes)}, "
            f"{limits.max_rows:,} rows and {limits.max_columns} columns."
        )
        if settings.JOBS_QUEUED:
            large = command_limits()
            self.fields["import_file"].help_text += (
                f" Larger files (up to {megabytes(large.max_bytes)} and {large.max_rows:,} "
                "rows) are imported by a job, all rows or none, without a preview: the job's "
                "page shows its progress, and lists every refused row with why."
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        upload, choice = cleaned.get("import_file"), cleaned.get("format")
        if upload is None or choice in (None, ""):
            return cleaned
        resource_class = self.spreadsheet_resources[int(cleaned.get("resource") or 0)]
        file_format = self.spreadsheet_formats[int(choice)].file_format
        try:
            rows = iter_spreadsheet(upload, file_format, admin_limits())
            resource_class().check_columns(next(rows))
            if not sum(1 for _ in rows):
                raise SpreadsheetRefused("The file has a header but no rows to import.")
        except (TooManyRows, TooLarge) as error:
            if settings.JOBS_QUEUED:
                self._check_for_job(upload, file_format, resource_class)
            else:
                self.add_error("import_file", f"{error}{command_hint(resource_class)}")
        except SpreadsheetRefused as error:
            self.add_error("import_file", str(error))
        finally:
            upload.seek(0)
        return cleaned

    def _check_for_job(self, upload: Any, file_format: str, resource_class: Any) -> None:
        """Read the whole file within the command's limits: a job imports it if it is good."""
        try:
            upload.seek(0)
            rows = iter_spreadsheet(upload, file_format, command_limits())
            resource_class().check_columns(next(rows))
            self.job_rows = sum(1 for _ in rows)
        except SpreadsheetRefused as error:
            self.add_error("import_file", str(error))


if TYPE_CHECKING:  # what SpreadsheetImportAdminMixin is mixed into, for its super() calls
    from import_export.admin import ImportExportModelAdmin

    from heritage.admin_input import CheckedAddressAdmin

    # import-export's stubs declare `model` and `change_list_template` unlike ModelAdmin's
    # (their own ImportExportModelAdmin ignores the same conflict).
    class _ImportAdminBase(ImportExportModelAdmin[Any], CheckedAddressAdmin):  # type: ignore[misc]
        pass

else:
    _ImportAdminBase = object


class SpreadsheetImportAdminMixin(_ImportAdminBase):
    """Put before ImportExportModelAdmin in a ModelAdmin's bases."""

    # The stubs say TemplateResponse; import-export also answers with the file, or a redirect.
    def export_action(self, request: HttpRequest) -> HttpResponse:  # type: ignore[override]
        """The export page takes the list's filters from its address: one it cannot apply
        (`?format=csv`, a year 0) is the list's "bad filter" notice, as on the list itself."""
        try:
            self.check_year_parameters(request)
            return super().export_action(request)
        except IncorrectLookupParameters:
            changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            return HttpResponseRedirect(f"{changelist}?{ERROR_FLAG}=1")

    import_form_class = SpreadsheetImportForm
    tmp_storage_class = SpreadsheetUploadStorage
    import_template_name = "admin/spreadsheet_import.html"

    @property
    def formats(self) -> list:
        return FORMATS

    def create_import_form(self, request: HttpRequest) -> Any:
        """One form per request: import_action reads it before import-export does."""
        form = getattr(request, "_spreadsheet_import_form", None)
        if form is None:
            form = super().create_import_form(request)
            request._spreadsheet_import_form = form  # type: ignore[attr-defined]
        return form

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:  # type: ignore[override]
        """The upload and its preview. Keeps the upload only when the preview offers to
        confirm it. A file beyond the admin's limits, good within the command's, goes to a
        job when a worker is configured."""
        SpreadsheetUploadStorage.remove_expired()
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid() and form.job_rows:
                return self.start_import_job(request, form)
        response = None
        try:
            response = super().import_action(request, **kwargs)
        finally:
            context = getattr(response, "context_data", None) or {}
            if "confirm_form" not in context:
                # The form's own upload object, which import-export labels with its storage.
                upload = request.FILES.get("import_file")
                SpreadsheetUploadStorage(name=getattr(upload, "tmp_storage_name", None)).remove()
        return response

    def start_import_job(self, request: HttpRequest, form: Any) -> HttpResponse:
        resource_class = form.spreadsheet_resources[int(form.cleaned_data.get("resource") or 0)]
        file_format = form.spreadsheet_formats[int(form.cleaned_data["format"])].file_format
        upload = form.cleaned_data["import_file"]
        noun = resource_class.command_name or "rows"
        job = job_start(
            kind=SPREADSHEET_JOB,
            by=request.user,
            description=f"{upload.name} ({form.job_rows:,} {noun})",
            params={
                "resource": f"{resource_class.__module__}.{resource_class.__qualname__}",
                "format": file_format,
                "rows": form.job_rows,
            },
            uploads=[upload],
        )
        messages.info(
            request,
            f"{upload.name} has {form.job_rows:,} rows, more than a preview shows: a job "
            "imports it, all rows or none. This page shows its progress and outcome.",
        )
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))

    def process_import(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """The confirmation: all rows or none, and the upload removed whatever happens."""
        SpreadsheetUploadStorage.remove_expired()
        storage = SpreadsheetUploadStorage(name=request.POST.get("import_file_name"))
        try:
            return super().process_import(request, **kwargs)
        except UploadExpired:
            messages.error(
                request,
                "That upload is no longer kept (previews are kept for "
                f"{settings.SPREADSHEET_UPLOAD_MAX_AGE // 3600} hours, and only until "
                "confirmed): upload the file again.",
            )
            return HttpResponseRedirect(self.spreadsheet_import_url())
        finally:
            storage.remove()

    def process_dataset(self, dataset, form, request: HttpRequest, **kwargs):
        return super().process_dataset(
            dataset, form, request, rollback_on_validation_errors=True, **kwargs
        )

    def process_result(self, result, request: HttpRequest) -> HttpResponse:
        if result.has_errors() or result.has_validation_errors():
            # The data changed since the preview (say, a report was published meanwhile).
            messages.error(
                request,
                "Nothing was imported: rows that passed the preview fail now, because the "
                "data changed since. Upload the file again to see why.",
            )
            return HttpResponseRedirect(self.spreadsheet_import_url())
        return super().process_result(result, request)

    def add_data_read_fail_error_to_form(self, form, error: Exception) -> None:
        if isinstance(error, SpreadsheetRefused):
            form.add_error("import_file", str(error))
        else:
            form.add_error("import_file", "The file could not be read as the chosen format.")

    def spreadsheet_import_url(self) -> str:
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
