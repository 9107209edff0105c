"""Step 1 of ingestion: turn an uploaded file or pasted text into an article's title and text.

Plain text has its title on the first line (as shared/seed/palmyra-recaptured-2016.txt). A
saved HTML page gives its main text, title, author and date through trafilatura."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

MAX_BYTES = 2 * 1024 * 1024
MIN_TEXT_CHARACTERS = 40


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
        raise IngestError(f"The article is {len(raw) // 1024} KB; the limit is 2 MB.")
    if b"\0" in raw and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise IngestError("This is a binary file, not a text or a saved web page.")
    # UTF-8, or UTF-16 with its byte-order mark; guessing any other encoding would quietly
    # garble names and quotes, so it is refused instead.
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise IngestError(
            "The text's encoding cannot be read: save it as UTF-8 and try again."
        ) from None


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
    return ReadArticle(
        title=((metadata.title if metadata else "") or text.splitlines()[0])[:500],
        text=text.strip(),
        author=(metadata.author if metadata else "") or "",
        published_on=published_on,
        url=(metadata.url if metadata else "") or "",
    )
