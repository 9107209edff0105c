"""The admin's "Ingest article" form: what a curator gives the pipeline, checked field by field
against SourceArticle's own limits before anything is read or stored."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from reports.ingest.reading import MAX_BYTES
from reports.models import SourceArticle


class ArticleForm(forms.ModelForm):
    """An article to read (a file or pasted text) and what the curator knows about it.

    A ModelForm so that every field is validated as the model validates it (lengths, the
    language code, the URL), each error shown beside its field with the rest of the input kept.
    The form never saves: `ingest_article` stores the article, or recognises it as already
    recorded."""

    file = forms.FileField(
        required=False,
        allow_empty_file=True,  # refused by the pipeline, in the same words as empty text
        help_text="Plain text (title on the first line) or a saved web page.",
    )
    text = forms.CharField(
        required=False,
        max_length=MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text="Or paste the article here, its title on the first line.",
    )
    url = SourceArticle._meta.get_field("url").formfield(assume_scheme="https", required=False)
    field_order = ["file", "text", "url", "title", "publisher", "published_on", "language"]

    class Meta:
        model = SourceArticle
        fields = ["url", "title", "publisher", "published_on", "language"]
        help_texts = {
            "title": "Instead of the first line's.",
            "published_on": 'YYYY-MM-DD. Relative dates ("on Thursday") are read against it.',
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False  # the article's first line or page title
        # As the command takes it: "03/08/2015" is March in one country and August in another.
        cast(forms.DateField, self.fields["published_on"]).input_formats = ["%Y-%m-%d"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_BYTES:
            raise ValidationError(
                f"The file is larger than the limit of {MAX_BYTES // 1024 // 1024} MB."
            )
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.has_error("file") or self.has_error("text"):
            return cleaned  # one was given; its own error says what is wrong with it
        if not cleaned.get("file") and not cleaned.get("text", "").strip():
            raise ValidationError("Upload the article or paste its text.")
        if cleaned.get("file") and cleaned.get("text", "").strip():
            raise ValidationError("Upload the article or paste its text, not both.")
        return cleaned

    def validate_unique(self) -> None:
        """Not here: an article already recorded is recognised by the pipeline, which says so
        and proposes from the recorded copy instead of refusing it."""
