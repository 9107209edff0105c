"""Archived copies of source articles: addresses of web archives (the Wayback Machine and
other Memento archives, archive.today, Perma.cc), checked before they are recorded, and the
capture time that a Memento address carries (its 14-digit timestamp)."""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple
from urllib.parse import urlsplit

# Memento-style archives (RFC 7089 URI-M): /<path>/<YYYYMMDDhhmmss><modifier?>/<original URL>.
# The Wayback Machine (web.archive.org/web/…), the UK Web Archive, the Library of Congress,
# Arquivo.pt, the Portuguese, Icelandic and others share the pattern.
# The Wayback Machine takes a partial timestamp too (/web/2015/…: its copy nearest 2015).
_MEMENTO_PATH = re.compile(
    r"^/(?:[\w.-]+/)*(?P<stamp>\d{4}|\d{6}|\d{8}|\d{10}|\d{12}|\d{14})(?:[a-z]{2}_)?/"
    r"(?P<original>.+)$"
)
# archive.today and its mirrors: /<short id> or /<YYYYMMDDhhmmss>/<original URL>.
ARCHIVE_TODAY_HOSTS = frozenset(
    f"archive.{tld}" for tld in ("today", "ph", "is", "li", "vn", "fo", "md")
)
_ARCHIVE_TODAY_ID = re.compile(r"^/[A-Za-z0-9]{4,10}$")
# Perma.cc: /<XXXX-XXXX>.
_PERMA_ID = re.compile(r"^/[A-Z0-9]{4}-[A-Z0-9]{4}$")

ARCHIVE_URL_HELP = (
    "The address of an archived copy: a Wayback Machine or other Memento address "
    "(https://web.archive.org/web/20150831120000/https://…), archive.today (https://archive.ph/…) "
    "or Perma.cc (https://perma.cc/XXXX-XXXX)."
)


class ArchivedCopy(NamedTuple):
    """What an archive address says: when the copy was made and of what, when it says."""

    captured_at: datetime.datetime | None
    original: str | None


def read_archive_url(url: str) -> ArchivedCopy:
    """The capture time and original address an archive address holds, or ValueError with a
    message for curators when it is not an archive address we know."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise ValueError(ARCHIVE_URL_HELP)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if match := _MEMENTO_PATH.match(path):
        stamp = match["stamp"]
        try:
            moment = datetime.datetime.strptime(stamp, "%Y%m%d%H%M%S"[: len(stamp) - 2])
        except ValueError:
            raise ValueError(f"{stamp} is not a capture time (YYYYMMDDhhmmss).") from None
        # Only a whole timestamp says when the copy was made.
        captured = moment.replace(tzinfo=datetime.UTC) if len(stamp) == 14 else None
        original = match["original"]
        if not re.match(r"^https?:/", original):
            raise ValueError("The archive address should end with the original address.")
        # Some archives collapse the original's "//" into "/".
        original = re.sub(r"^(https?):/+", r"\1://", original)
        return ArchivedCopy(captured, original)
    if host.removeprefix("www.") in ARCHIVE_TODAY_HOSTS and _ARCHIVE_TODAY_ID.match(parts.path):
        return ArchivedCopy(None, None)
    if host.removeprefix("www.") == "perma.cc" and _PERMA_ID.match(parts.path):
        return ArchivedCopy(None, None)
    raise ValueError(ARCHIVE_URL_HELP)


def same_address(first: str, second: str) -> bool:
    """Whether two addresses are the same page, whatever their scheme, a "www.", a trailing
    slash or the case of the host."""

    def key(url: str) -> tuple[str, str]:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
        path = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
        return host, path

    return key(first) == key(second)
