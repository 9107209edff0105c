"""The Arabic catalogue: every message of our pages and vocabularies is translated, and the
committed .mo file (what Django reads) says what the .po file says."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

from reports.vocabularies import Certainty, DamageType, Extent
from sites.models import Monument

CATALOGUE = Path(__file__).parents[2] / "locale" / "ar" / "LC_MESSAGES"
# Strings of our override of django-simple-history's template, which ships their Arabic.
THEIRS = {"Object", "Date/time", "Comment", "Changed by", "Change reason", "Changes", "entry"}


def messages() -> list[str]:
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    return [m for m in re.findall(r'^msgid "(.+)"$', text, flags=re.M)]


def test_every_message_is_translated_in_the_compiled_catalogue():
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    untranslated = [
        m for m in messages() if m not in THEIRS and compiled.gettext(m.replace('\\"', '"')) == m
    ]
    assert untranslated == []


@pytest.mark.parametrize("choices", [DamageType, Extent, Certainty, Monument.Kind])
def test_every_vocabulary_label_has_its_arabic(choices):
    with translation.override("ar"):
        arabic = [str(label) for label in choices.labels]
    with translation.override("en"):
        english = [str(label) for label in choices.labels]
    assert all(a != e for a, e in zip(arabic, english, strict=True)), arabic
