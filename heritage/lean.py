"""A lean path for the public API's reads: sessions, the page language, users, messages and
the history's request are for curators and pages, and a read of /api/ uses none of them (the
API has no login, answers in English whatever the browser's language, and never writes).
Each class here is Django's own middleware, skipped for those reads and unchanged for every
other request. (CSRF's stays as it is: `check --deploy` looks for it by name, and it does
next to nothing on a read.)

settings.MIDDLEWARE lists these in place of Django's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessions
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from simple_history.middleware import HistoryRequestMiddleware as DjangoHistory

from heritage.languages import LocaleMiddleware as PagesAndAdminLocale

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_api_read(request: HttpRequest) -> bool:
    return request.method in READ_METHODS and request.path_info.startswith("/api/")


def skipped_for_api_reads(middleware: Any) -> Any:
    """A subclass of `middleware` (so that Django's checks still find it) that a read of the
    API goes straight past, unchanged for every other request. (None of those wrapped has a
    process_view or other hook that would run besides.) A middleware that is a function, as
    django-simple-history's is, gets a function."""
    if not isinstance(middleware, type):
        return _function_skipped_for_api_reads(middleware)

    def __call__(self: Any, request: HttpRequest) -> HttpResponseBase:
        if is_api_read(request):
            return self.get_response(request)
        return middleware.__call__(self, request)

    members: dict[str, Any] = {"__call__": __call__, "__module__": __name__}
    return type(middleware.__name__, (middleware,), members)


def _function_skipped_for_api_reads(factory: Callable[..., Any]) -> Callable[..., Any]:
    def make(get_response: Callable[[HttpRequest], HttpResponseBase]) -> Callable[..., Any]:
        full = factory(get_response)

        def middleware(request: HttpRequest) -> HttpResponseBase:
            return get_response(request) if is_api_read(request) else full(request)

        return middleware

    return make


SessionMiddleware = skipped_for_api_reads(DjangoSessions)


class LocaleMiddleware(skipped_for_api_reads(PagesAndAdminLocale)):  # type: ignore[misc]
    """The pages' and the admin's language; an API read is in English. Set, not left as it
    is: a thread keeps the language the page it served before was in."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_api_read(request):
            translation.activate(settings.LANGUAGE_CODE)
        return super().__call__(request)


AuthenticationMiddleware = skipped_for_api_reads(DjangoAuthentication)
MessageMiddleware = skipped_for_api_reads(DjangoMessages)
HistoryRequestMiddleware = skipped_for_api_reads(DjangoHistory)
