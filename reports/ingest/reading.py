"""Step 1 of ingestion: turn an uploaded file or pasted text into an article's title and text.

Plain text has its title on the first line (as shared/seed/palmyra-recaptured-2016.txt). A
saved HTML page gives its main text, title, author and date through trafilatura."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from reports.models import URL_MAX_LENGTH

MAX_BYTES = 2 * 1024 * 1024
MIN_TEXT_CHARACTERS = 40
BINARY = "This is a binary file, not a text or a saved web page."
ASCII_TEXT = bytes(range(0x09, 0x7F))
# Control characters that text does not hold (tabs, line and page breaks aside).
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class IngestError(ValueError):
    """Input the pipeline cannot use; the message is one line for the curator."""


@dataclass
class ReadArticle:
    title: str
    text: str
    author: str = ""
    published_on: datetime.date | None = None
    url: str = ""


def read_article(data: bytes | str) -> ReadArticle:
    """Decode and read an article, or raise IngestError saying why it cannot be used."""
    text = _decode(data)
    if _looks_like_html(text):
        return _read_html(text)
    title, _, body = text.strip().partition("\n")
    if not body.strip():
        raise IngestError("The text has a title line but no article under it.")
    return ReadArticle(title=title.strip()[:500], text=body.strip())


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        raw = data.encode("utf-8", "surrogatepass")
    else:
        raw = data
    if not raw.strip():
        raise IngestError("The article is empty.")
    if len(raw) > MAX_BYTES:
        raise IngestError(
            f"The article is larger than the limit of {MAX_BYTES // 1024 // 1024} MB."
        )
    utf16 = raw[:2] in (b"\xff\xfe", b"\xfe\xff")
    if b"\0" in raw and not utf16:
        if _looks_like_utf16(raw):
            raise IngestError(
                "The text is in UTF-16 without its byte-order mark: save it as UTF-8 and try "
                "again."
            )
        raise IngestError(BINARY)
    # UTF-8, or UTF-16 with its byte-order mark; guessing any other encoding would quietly
    # garble names and quotes, so it is refused instead.
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError(
            "The text's encoding cannot be read: save it as UTF-8 and try again."
        ) from None
    # Decoded UTF-16 may still hold NUL (which PostgreSQL cannot store) or be a binary file
    # that happened to start with a byte-order mark.
    if "\0" in text or len(CONTROL.findall(text)) > len(text) // 100:
        raise IngestError(BINARY)
    if not text.strip():
        raise IngestError("The article is empty.")
    return text.replace("\r\n", "\n").replace("\r", "\n")  # old Macs' line ends too


def _looks_like_utf16(raw: bytes) -> bool:
    """Text in UTF-16 without its byte-order mark: mostly ASCII characters, each with a NUL
    byte beside it."""
    for zeros, characters in ((raw[0::2], raw[1::2]), (raw[1::2], raw[0::2])):
        if (
            len(raw) >= 16
            and zeros.count(0) > 0.9 * len(zeros)
            and len(characters.translate(None, ASCII_TEXT)) < 0.1 * len(characters)
        ):
            return True
    return False


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def _read_html(page: str) -> ReadArticle:
    import trafilatura

    text = trafilatura.extract(page, include_comments=False, include_tables=False) or ""
    if len(text.strip()) < MIN_TEXT_CHARACTERS:
        raise IngestError("No article text was found in this web page.")
    metadata = trafilatura.extract_metadata(page)
    published_on = None
    if metadata is not None and metadata.date:
        try:
            published_on = datetime.date.fromisoformat(metadata.date[:10])
        except ValueError:
            published_on = None
    title = ((metadata.title if metadata else "") or text.splitlines()[0])[:500]
    first, _, rest = text.strip().partition("\n")
    if rest.strip() and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        text = rest  # the headline is the title, not the article's first paragraph
    return ReadArticle(
        title=title,
        text=text.strip(),
        author=(metadata.author if metadata else "") or "",
        published_on=published_on,
        url=_page_url(metadata.url if metadata else ""),
    )


def _page_url(url: str | None) -> str:
    """The page's own URL, if it is one that can be stored; the curator may give it instead."""
    if not url:
        return ""  # as URLValidator says of ""
    try:
        URLValidator()(url)
    except ValidationError:
        return ""
    return url if len(url) <= URL_MAX_LENGTH else ""
