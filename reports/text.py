"""Normalisation of article URLs and texts, so that duplicates are found and quotes are checked
however a page was copied (curly or straight quotes, line breaks, stray spaces)."""

import functools
import hashlib
import re
import unicodedata
from bisect import bisect_right
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters a URL may not hold as they are (RFC 3986): percent-encoded, so that a stored
# address is safe wherever it is put, e.g. in an href. Letters of any script stay as they are.
_UNSAFE_IN_URL = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ALL_WHITESPACE = re.compile(r"\s+")
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)


def normalize_url(url: str) -> str:
    """The canonical form of an article URL: lower-case scheme and host, no default port,
    no fragment, no tracking parameters, no character a URL may not hold (quotes, angle
    brackets, spaces are percent-encoded). Other query parameters keep their order."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{host}"
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{parts.port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING_PARAMS.match(k)
        ]
    )
    path = _UNSAFE_IN_URL.sub(lambda match: f"%{ord(match.group()):02X}", parts.path or "/")
    return urlunsplit((scheme, netloc, path, query, ""))


def normalize_text(text: str) -> str:
    """An article text as it is hashed: Unicode NFC, Unix line ends, no trailing spaces,
    runs of spaces folded, no blank lines (paragraphs one to a line, however they were
    separated: the same article saved as a web page and as text is one)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def text_sha256(text: str) -> str:
    """SHA-256 of the normalised text; empty for a blank text (nothing to compare)."""
    normalized = normalize_text(text)
    if not normalized:
        return ""
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def comparable(text: str) -> str:
    """A form for finding a quote in a text: typographic quotes and dashes made plain,
    all white space folded to one space. Case is kept: a quote must be verbatim."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    return _ALL_WHITESPACE.sub(" ", text).strip()


@functools.lru_cache(maxsize=8)
def _paragraphs(text: str) -> tuple[str, list[int]]:
    """The text in comparable form, and where each paragraph starts in it. Kept for the last
    few texts: each citation of an article looks in the same text (an article proposing 2,000
    citations took 20 s to prepare it 2,000 times)."""
    starts: list[int] = []
    parts: list[str] = []
    length = 0
    for line in text.splitlines():
        if line.strip():
            starts.append(length)
            part = comparable(line) + " "
            parts.append(part)
            length += len(part)
    return "".join(parts), starts


def locate_quote(quote: str, text: str) -> str | None:
    """Where `quote` stands in `text`, as "paragraph 4" or "paragraphs 4-5" (paragraphs are
    non-blank lines), or None when the text does not contain it."""
    needle = comparable(quote)
    if not needle:
        return None
    joined, starts = _paragraphs(text)
    found_at = joined.find(needle)
    if found_at < 0:
        return None
    first = bisect_right(starts, found_at)
    last = bisect_right(starts, found_at + len(needle) - 1)
    return f"paragraph {first}" if first == last else f"paragraphs {first}-{last}"
