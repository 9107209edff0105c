"""Which language a request is answered in: a public page's from its address (/ar/…, English
without a prefix), the admin's from the curator (the language cookie, else the browser's
Accept-Language), so that Arabic-speaking curators get Django's own Arabic admin."""

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith("/admin/"):
            return super().process_request(request)
        # Django's own, for addresses outside i18n_patterns, would always pick English here.
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None
