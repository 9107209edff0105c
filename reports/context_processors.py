"""What every public page's template needs: the language switch, the data's licence."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation


def languages(request: HttpRequest) -> dict:
    """The other languages of this page, each with this page's address in it."""
    current = translation.get_language()
    return {
        "other_languages": [
            # The path without the script prefix, which reverse() adds back.
            {"code": code, "name": name, "url": translate_url(request.get_full_path_info(), code)}
            for code, name in settings.LANGUAGES
            if code != current
        ],
        "data_licence": settings.RELEASE_LICENCE,
    }
