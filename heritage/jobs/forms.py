"""What the admin's "start a job" forms share (each kind's form lives with its kind)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile


class StartForm(forms.Form):
    """A kind's start form: once valid, it says what the job works on."""

    #: The words of the form's button.
    submit_label = "Start"

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def job_description(self) -> str:
        raise NotImplementedError

    def job_params(self) -> dict[str, Any]:
        return {}

    def job_uploads(self) -> list[UploadedFile]:
        return []

    def job_items(self) -> int:
        """How many items (records, articles) the job will do: a request without a worker
        runs at most the kind's inline_limit."""
        raise NotImplementedError


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): a list of uploads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []
