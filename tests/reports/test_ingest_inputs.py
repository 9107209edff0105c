"""Every kind of unusable article, given to each way in (the `ingest_article` command and the
admin's "Ingest article" page): one clear error, a non-zero exit for the command, memory
bounded by the size limit whatever the file's size, nothing written, no temporary file left.

The sweep: INPUTS x IMPORTERS, plus the huge file for each importer, the command's paths and
options, and the admin's pasted text (SWEEP_SIZE counts them all)."""

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.ingest.reading import MAX_BYTES
from reports.models import Citation, DamageReport, SourceArticle
from tests.commands import HUGE_FILE, manage, sparse_huge_file

pytestmark = pytest.mark.django_db

ARTICLE = (Path(__file__).parent / "ingest_cases" / "nimrud-2015.txt").read_text()

INPUTS: dict[str, tuple[bytes, str]] = {
    # Empty
    "empty": (b"", "The article is empty."),
    "blank": (b" \n\t\r\n ", "The article is empty."),
    "UTF-8 byte-order mark only": (b"\xef\xbb\xbf", "The article is empty."),
    "UTF-16 byte-order mark only": (b"\xff\xfe", "The article is empty."),
    # Binary
    "PNG": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    "bytes without NUL": (bytes(range(1, 256)) * 4, "encoding cannot be read"),
    "control characters behind a UTF-16 mark": (
        "\x01\x02\x03\x04\x05\x06\x07\x08\n".encode("utf-16") * 64,
        "binary file",
    ),
    # Wrong encoding
    "Latin-1": ("Titre\nLe temple a été détruit.".encode("latin-1"), "encoding cannot be read"),
    "Windows-1252 quotes": (
        "“Temple destroyed”\nThe temple was “destroyed”.".encode("cp1252"),
        "encoding cannot be read",
    ),
    "UTF-8 cut inside a character": ("Title\nThe temple é".encode()[:-1], "encoding cannot"),
    "UTF-16 without its mark": (ARTICLE.encode("utf-16-le"), "UTF-16 without its byte-order"),
    "UTF-16 of odd length": (ARTICLE.encode("utf-16") + b"x", "encoding cannot be read"),
    "UTF-16 lone surrogate": (
        b"\xff\xfe" + "Title\nThe temple ".encode("utf-16-le") + b"\x00\xd8A\x00",
        "encoding cannot be read",
    ),
    # NUL
    "NUL in UTF-8": (b"Title\nThe temple\x00 was damaged by explosives.", "binary file"),
    "NUL in UTF-16 little-endian": (
        "Title\nThe temple\x00 was damaged.".encode("utf-16"),
        "binary file",
    ),
    "NUL in UTF-16 big-endian": (
        b"\xfe\xff" + "Title\nThe temple\x00 was damaged.".encode("utf-16-be"),
        "binary file",
    ),
    # Too big (just over the limit; the gigabyte file has tests of its own below)
    "one byte over the limit": (b"Title\n" + b"x" * (MAX_BYTES - 5), "larger than the limit"),
    # Malformed
    "title only": (b"Only a title", "no article under it"),
    "title over blank lines": (b"Only a title\n\n \n", "no article under it"),
    "web page without an article": (
        b"<html><body><p>Too short.</p></body></html>",
        "No article text was found",
    ),
    "tag soup": (b"<html><body><div><p>" + b"<b>" * 50_000, "No article text was found"),
}
IMPORTERS = ["ingest_article command", "admin page upload"]
PATHS = ["missing file", "folder"]
OPTIONS = [
    "--date no such day",
    "--date not ISO",
    "--language",
    "--publisher",
    "--title",
    "--url javascript",
    "--url ftp",
]
PASTED = [
    "nothing",
    "NUL",
    "NUL at the end",
    "over the limit",
    "over the limit in bytes, not in characters",
    "over twice the limit",
    "over Django's request limit",
    "title only",
]
SWEEP_SIZE = (len(INPUTS) + 1) * len(IMPORTERS) + len(PATHS) + len(OPTIONS) + len(PASTED)


def written() -> tuple[int, int, int, int]:
    """What ingestion writes: articles (and their history), reports and citations."""
    return (
        SourceArticle.objects.count(),
        SourceArticle.history.count(),
        DamageReport.objects.count(),
        Citation.objects.count(),
    )


# The command, in this process


@pytest.mark.parametrize("name", INPUTS)
def test_the_command_refuses_it_with_one_clear_line(tmp_path, temp_dir, name):
    content, message = INPUTS[name]
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as refused:
        call_command("ingest_article", str(path))
    assert "\n" not in str(refused.value)
    assert written() == (0, 0, 0, 0)
    assert list(temp_dir.iterdir()) == []


def test_the_command_refuses_a_huge_file_after_reading_only_the_limit(tmp_path, temp_dir):
    path = sparse_huge_file(tmp_path / "huge.txt", ARTICLE.encode())
    with pytest.raises(CommandError, match=r"^The article is larger than the limit of 2 MB\.$"):
        call_command("ingest_article", str(path))
    assert written() == (0, 0, 0, 0)
    assert list(temp_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("where", "message"),
    [("nowhere.txt", "nowhere.txt: no such file."), (".", "is a folder, not an article.")],
    ids=PATHS,
)
def test_the_command_refuses_a_path_that_is_not_a_file(tmp_path, where, message):
    with pytest.raises(CommandError, match=message):
        call_command("ingest_article", str(tmp_path / where))
    assert written() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--date", "2016-02-30", "there is no such day"),
        ("--date", "30/02/2016", "write it as YYYY-MM-DD"),
        ("--language", "<b>", "language: Use a language code"),
        ("--publisher", "P" * 256, "publisher: Ensure this value has at most 255 characters"),
        ("--title", "T" * 501, "title: Ensure this value has at most 500 characters"),
        ("--url", "javascript:alert(1)", "is not a web address"),
        ("--url", "ftp://example.com/article", "is not a web address"),
    ],
    ids=OPTIONS,
)
def test_the_command_refuses_details_the_article_cannot_have(tmp_path, option, value, message):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE)
    with pytest.raises(CommandError, match=message) as refused:
        call_command("ingest_article", str(path), option, value)
    assert "\n" not in str(refused.value)
    assert written() == (0, 0, 0, 0)


# The command, as curators run it: a process of its own


def test_a_huge_file_is_refused_in_a_line_and_in_bounded_memory(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    status, stderr, baseline = manage(tmp_path, "ingest_article", str(empty))
    assert (status, stderr) == (1, "CommandError: The article is empty.\n")
    huge = sparse_huge_file(tmp_path / "huge.txt", ARTICLE.encode())
    status, stderr, peak = manage(tmp_path, "ingest_article", str(huge))
    print(
        f"\ningest_article: peak RSS {peak / 1024:.1f} MiB refusing a "
        f"{HUGE_FILE // 1024**3} GiB file, {baseline / 1024:.1f} MiB refusing an empty one; "
        f"sweep of {SWEEP_SIZE} cases"
    )
    assert status == 1
    assert stderr == "CommandError: The article is larger than the limit of 2 MB.\n"
    # One read of the limit, never the file: a few MiB over the empty file's run.
    assert peak - baseline < (MAX_BYTES + 16 * 1024**2) // 1024


@pytest.mark.parametrize("name", ["NUL in UTF-16 little-endian", "UTF-16 lone surrogate"])
def test_the_process_exits_non_zero_with_one_line_and_no_traceback(tmp_path, name):
    content, message = INPUTS[name]
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    status, stderr, _ = manage(tmp_path, "ingest_article", str(path))
    assert status == 1
    assert len(stderr.splitlines()) == 1 and stderr.startswith("CommandError: ")
    assert message in stderr and "Traceback" not in stderr


# The admin page


@pytest.fixture
def curator(client, editor, settings, tmp_path) -> Path:
    """An editor logged in; the folder where Django spools large uploads."""
    client.force_login(editor)
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    return settings.FILE_UPLOAD_TEMP_DIR


def upload(client, path: Path):
    with path.open("rb") as file:
        return client.post(
            reverse("admin:reports_damagereport_ingest"),
            {"file": file, "language": "en", "publisher": "Example News"},
        )


def refused_upload(response, message: str, uploads: Path) -> None:
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["file"]
    assert message in form.errors["file"][0]
    assert form["publisher"].value() == "Example News"  # the curator's input is kept
    assert written() == (0, 0, 0, 0)
    assert list(uploads.iterdir()) == []


@pytest.mark.parametrize("name", INPUTS)
def test_the_admin_page_refuses_the_upload_with_a_form_error(client, curator, tmp_path, name):
    content, message = INPUTS[name]
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    refused_upload(upload(client, path), message, curator)


def test_the_admin_page_refuses_a_huge_upload_without_reading_it(client, curator, tmp_path):
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE, so Django spools it to a temporary file first.
    path = tmp_path / "huge.txt"
    path.write_bytes(ARTICLE.encode() * (3 * 1024**2 // len(ARTICLE)))
    refused_upload(upload(client, path), "larger than the limit of 2 MB", curator)


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("  \n", 200, "Upload the article or paste its text."),
        ("Title\nThe temple\x00 was damaged.", 200, "Null characters are not allowed."),
        ("Title\nThe temple was damaged.\x00", 200, "Null characters are not allowed."),
        ("Title\n" + "x" * MAX_BYTES, 200, "at most 2097152 characters"),
        # An outside probe: 1.9 million Arabic characters (3.4 MB) met a bare 400 page.
        ("Title\n" + "د" * 1_900_000, 200, "larger than the limit of 2 MB"),
        ("Title\n" + "x" * (3 * 1024**2), 200, "at most 2097152 characters"),
        # Django refuses a request body over DATA_UPLOAD_MAX_MEMORY_SIZE before any view runs.
        ("Title\n" + "x" * (10 * 1024**2), 400, ""),
        ("Only a title", 200, "no article under it"),
    ],
    ids=PASTED,
)
def test_the_admin_page_refuses_pasted_text_with_a_form_error(
    client, curator, text, status, message
):
    response = client.post(
        reverse("admin:reports_damagereport_ingest"),
        {"text": text, "language": "en", "publisher": "Example News"},
    )
    assert response.status_code == status
    if status == 200:
        form = response.context["form"]
        said = [error for errors in form.errors.values() for error in errors]
        assert message in " ".join(said)
        assert len(said) == 1, said  # one reason, not also "paste its text"
        assert form["publisher"].value() == "Example News"
    assert written() == (0, 0, 0, 0)
    assert list(curator.iterdir()) == []


@pytest.mark.parametrize("words", ["yesterday", "last December", "on Thursday", "on 4 October"])
def test_an_article_dated_at_the_start_of_time_reads_its_relative_dates_without_failing(
    tmp_path, words
):
    """Found by an outside probe: an article dated 1 January 1 whose text said "yesterday"
    was a traceback (and a 500 on the admin page): no date before it exists."""
    from reports.ingest.finding import resolve_date

    sentence = f"ISIS militants blew up the Temple of Bel {words}."
    when = resolve_date(sentence, datetime.date(1, 1, 1))
    assert when is None or when.start <= datetime.date(1, 1, 1)
    assert resolve_date(sentence, datetime.date(2016, 3, 27)) is not None  # a real date


def test_a_text_of_more_sentences_than_an_article_has_is_refused_before_any_work(client, curator):
    """Found by an outside probe: 2 MB of 52,000 sentences, each a damage claim, kept a worker
    past gunicorn's 30 s on the admin page."""
    from reports.ingest import MAX_SENTENCES

    lines = [f"Bel was hit, case {n}." for n in range(3_000)]
    response = client.post(
        reverse("admin:reports_damagereport_ingest"),
        {"text": "Palmyra\n" + "\n".join(lines), "language": "en", "publisher": "P"},
    )
    assert response.status_code == 200
    errors = " ".join(e for errors in response.context["form"].errors.values() for e in errors)
    assert f"an article of at most {MAX_SENTENCES:,} is read" in errors
    assert written() == (0, 0, 0, 0)


def test_a_proposal_quotes_at_most_its_first_sentences(demo):
    from reports.ingest import MAX_QUOTES_PER_PROPOSAL, ingest_article

    lines = [f"The Temple of Bel in Palmyra was blown up, witness {n} said." for n in range(300)]
    result = ingest_article(
        data=("Palmyra\n" + "\n".join(lines)).encode(),
        url="https://news.example/bel",
        publisher="P",
        published_on=datetime.date(2015, 9, 1),
    )
    (proposal,) = result.proposals
    quotes = list(proposal.citations.order_by("pk").values_list("quote", flat=True))
    assert quotes == lines[:MAX_QUOTES_PER_PROPOSAL]


def test_a_text_longer_than_an_article_is_refused_before_any_work(demo):
    from reports.ingest import MAX_CHARACTERS, IngestError, ingest_article

    text = "Palmyra\n" + "The Temple of Bel in Palmyra was shelled again. " * 2_100
    assert len(text) > MAX_CHARACTERS
    before = written()
    with pytest.raises(IngestError, match=f"an article of at most {MAX_CHARACTERS:,} is read"):
        ingest_article(data=text, publisher="P")
    assert written() == before


def test_a_paragraph_without_full_stops_is_read_in_bounded_parts(demo):
    """Found by an outside probe: one 40 KB paragraph of damage words took 44 s (each claim
    looked at its whole clause), holding the database's write lock all along."""
    from reports.ingest import ingest_article
    from reports.ingest.finding import MAX_SENTENCE_CHARACTERS, split_sentences

    words = "militants blew up the temple of bel in palmyra and destroyed the arch "
    paragraph = words * 800  # 57 KB, no full stop
    parts = split_sentences(paragraph)
    assert all(len(part) <= MAX_SENTENCE_CHARACTERS for part in parts)
    assert " ".join(parts) == paragraph.strip()  # cut between words, nothing lost
    result = ingest_article(data="Palmyra\n" + paragraph, publisher="P")
    quotes = Citation.objects.filter(report__in=result.proposals).values_list("quote", flat=True)
    assert quotes and all(len(quote) <= MAX_SENTENCE_CHARACTERS for quote in quotes)


def test_old_mac_line_ends_are_line_ends(demo):
    from reports.ingest import ingest_article

    result = ingest_article(data=b"Palmyra\rThe Temple of Bel in Palmyra was blown up.")
    assert result.article.title == "Palmyra"
    assert result.article.text == "The Temple of Bel in Palmyra was blown up."


def test_another_text_at_a_recorded_address_is_said_not_stored(demo):
    from reports.ingest import ingest_article

    url = "https://news.example/bel"
    ingest_article(data="Palmyra\nThe Temple of Bel was blown up.", url=url, publisher="P")
    again = ingest_article(data="Palmyra\nThe Arch was blown up too.", url=url, publisher="P")
    assert not again.article_created
    assert any("differs from the one recorded" in message for message in again.messages)
    assert SourceArticle.objects.get(url=url).text == "The Temple of Bel was blown up."


def test_the_batch_command_fails_when_every_article_is_refused(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="Every article was refused"):
        call_command("ingest_articles", str(tmp_path / "empty.txt"))


def test_an_article_in_another_script_says_nothing_can_be_proposed_from_it(demo):
    from reports.ingest import ingest_article

    arabic = "تدمر\nفجر تنظيم الدولة الإسلامية معبد بل في تدمر يوم الأحد."
    result = ingest_article(data=arabic, publisher="P", language="ar")
    assert result.proposals == []
    assert any("damage is read in English only" in message for message in result.messages)
    english = ingest_article(data="Palmyra\nMilitants blew up the Arch in Palmyra.", publisher="P")
    assert not any("English only" in message for message in english.messages)
