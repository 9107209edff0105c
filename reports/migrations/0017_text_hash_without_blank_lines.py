"""Article texts are hashed without blank lines (reports.text.normalize_text), so that the same
article saved as a web page (paragraphs one to a line) and as text (paragraphs between blank
lines) is recognised as one. Hashes are computed again; of two articles that now hash alike,
the later keeps its old hash (it was stored twice before this change)."""

import hashlib
import re
import unicodedata

from django.db import migrations

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _sha256(text: str) -> str:
    # As reports.text.text_sha256 at this migration (a copy: migrations outlive the code).
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    normalized = "\n".join(line for line in lines if line)
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest() if normalized else ""


def rehash(apps, schema_editor):
    SourceArticle = apps.get_model("reports", "SourceArticle")
    taken = set()
    for article in SourceArticle.objects.order_by("pk").only("pk", "text", "text_sha256"):
        new = _sha256(article.text)
        if new and new not in taken and new != article.text_sha256:
            if not SourceArticle.objects.filter(text_sha256=new).exclude(pk=article.pk).exists():
                SourceArticle.objects.filter(pk=article.pk).update(text_sha256=new)
                article.text_sha256 = new
        taken.add(article.text_sha256)


class Migration(migrations.Migration):
    dependencies = [("reports", "0016_proposal_records")]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]
