"""The World Heritage List import as a job: the admin uploads the UNESCO XML export, a worker
(or, without one, the request) imports it record by record (sites.whc, as `manage.py
import_whc`). Each record is matched on its UNESCO id in a transaction of its own, so a retry
after a failure midway updates or leaves unchanged what the first run wrote."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from xml.etree.ElementTree import Element  # noqa: S405 - types only; parsing is defusedxml

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from heritage.jobs.forms import StartForm
from heritage.jobs.kinds import JobKind, has_permissions, register
from heritage.jobs.services import JobFailed, JobRun
from sites.whc import MAX_BYTES, NotAWorldHeritageExport, import_rows, read_export, read_rows

KIND = "whc_import"


class WorldHeritageListForm(StartForm):
    submit_label = "Import the list"

    file = forms.FileField(
        help_text="The XML export of https://whc.unesco.org/en/list/xml/ (at most "
        f"{MAX_BYTES // 1024 // 1024} MB). Sites are matched on their UNESCO id; what "
        "curators own (slug, description, sensitivity, monuments) is never changed."
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        try:
            self.rows = read_rows(read_export(upload))
        except NotAWorldHeritageExport as error:
            raise ValidationError(f"This is not a World Heritage List export: {error}.") from None
        finally:
            upload.seek(0)
        if not self.rows:
            raise ValidationError("The export holds no <row> records.")
        return upload

    def job_description(self) -> str:
        return f"{self.cleaned_data['file'].name} ({len(self.rows):,} records)"

    def job_uploads(self) -> list[UploadedFile]:
        return [self.cleaned_data["file"]]

    def job_items(self) -> int:
        return len(self.rows)


def _run(run: JobRun) -> None:
    (source,) = run.inputs()
    try:
        with source.open() as file:
            rows = read_rows(read_export(file))
    except NotAWorldHeritageExport as error:
        raise JobFailed(
            f"{source.filename} is not a World Heritage List export: {error}."
        ) from None
    run.set_total(len(rows))
    report = import_rows(_counted(rows, run))
    run.add("created", report.created)
    run.add("updated", report.updated)
    run.add("unchanged", report.unchanged)
    for line in report.skipped:  # "id 23: why"
        item, _, reason = line.partition(": ")
        run.refuse(item, reason)
    for warning in report.warnings:
        run.note(warning)
    run.summary = report.summary()


def _counted(rows: Iterable[Element], run: JobRun) -> Iterator[Element]:
    """The rows, each counted done once the import asks for the next."""
    for row in rows:
        yield row
        run.advance()


def _allowed(user: Any, params: dict[str, Any]) -> bool:
    return has_permissions("sites.add_heritagesite", "sites.change_heritagesite")(user, params)


register(
    JobKind(
        name=KIND,
        label="World Heritage List import",
        run=_run,
        allowed=_allowed,
        form=WorldHeritageListForm,
        # About 1,200 records make the whole list: without a worker, a request imports at most
        # this many (30 a second on the shared 2-core machine, inside gunicorn's 30 s).
        inline_limit=500,
        help="Create or update a site per record of UNESCO's export.",
    )
)
