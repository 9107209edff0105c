"""`import_whc` against every kind of unusable input. A file that cannot be the export is one
readable line and a non-zero exit, with nothing imported; a record that cannot be read is
skipped with a warning naming it and its field, and every other record is imported. Memory
stays bounded by the size limit whatever the file's size; no temporary file is left.

The sweep: FILES (whole files) + PATHS + RECORDS (one bad field in an otherwise good
export), for the one importer; SWEEP_SIZE counts them."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sites.models import HeritageSite
from sites.whc import MAX_BYTES
from tests.commands import HUGE_FILE, manage, sparse_huge_file

pytestmark = pytest.mark.django_db

SAMPLE = (Path(__file__).parent / "data" / "whc-sample.xml").read_bytes()
# Palmyra (id 23) is the sample's first record; the records after it must still be imported.
PALMYRA = {"latitude": b"34.5541666667", "longitude": b"38.2666666667", "id_number": b"23"}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE query [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<query><row><site>&lol9;</site></row></query>"""

FILES: dict[str, tuple[bytes, str]] = {
    # Empty
    "empty": (b"", "it is empty"),
    "blank": (b" \n\t\n", "it is empty"),
    # Binary
    "PNG": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not well-formed XML"),
    "gzip of the export": (b"\x1f\x8b\x08\x00" + bytes(range(1, 256)), "not well-formed XML"),
    # Not XML
    "CSV": (b"id_number,site\n23,Site of Palmyra\n", "not well-formed XML"),
    "JSON": (b'{"query": {"row": []}}', "not well-formed XML"),
    "HTML page": (b"<html><body><p>Not found<br></body></html>", "not well-formed XML"),
    "other XML": (b"<rss><row/></rss>", "the root element is <rss>, not <query>"),
    # Malformed XML
    "truncated": (SAMPLE[: SAMPLE.index(b"</row>")], "not well-formed XML (no element found"),
    "unclosed tag": (SAMPLE.replace(b"</site>", b"", 1), "not well-formed XML (mismatched tag"),
    "two roots": (b"<query></query><query></query>", "not well-formed XML (junk after"),
    # Wrong encoding
    "Latin-1 declared as UTF-8": (
        '<?xml version="1.0" encoding="UTF-8"?><query><row><site>Sé</site></row></query>'.encode(
            "latin-1"
        ),
        "not well-formed XML (not well-formed (invalid token)",
    ),
    "UTF-8 declared as UTF-16": (
        b'<?xml version="1.0" encoding="UTF-16"?><query/>',
        "encoding specified in XML declaration is incorrect",
    ),
    "unknown encoding": (
        b'<?xml version="1.0" encoding="x-made-up"?><query/>',
        "not readable XML (unknown encoding: x-made-up)",
    ),
    # Encodings Python knows but the XML parser cannot read (an outside probe: tracebacks).
    **{
        f"{encoding} declared": (
            f'<?xml version="1.0" encoding="{encoding}"?><query><row><site>遺跡</site></row>'
            "</query>".encode(codec),
            "its encoding cannot be read",
        )
        for encoding, codec in [
            ("Shift_JIS", "shift_jis"),
            ("idna", "utf-8"),
            ("punycode", "utf-8"),
        ]
    },
    # UTF-32 with its byte-order mark: the parser sees bytes it cannot start with.
    "UTF-32 declared": (
        '<?xml version="1.0" encoding="UTF-32"?><query/>'.encode("utf-32"),
        "not well-formed XML",
    ),
    # NUL
    "NUL byte": (SAMPLE.replace(b"Site of Palmyra", b"Site of\x00Palmyra"), "not well-formed XML"),
    "NUL character reference": (SAMPLE.replace(b"Palmyra<", b"Palmyra&#0;<", 1), "invalid char"),
    # Too big (just over the limit; the gigabyte file has tests of its own below)
    "one byte over the limit": (
        SAMPLE + b" " * (MAX_BYTES + 1 - len(SAMPLE)),
        "it is larger than the limit of 32 MB",
    ),
    # Hostile
    "billion laughs": (BILLION_LAUGHS, "the XML declares entities, which are refused"),
    "external entity": (
        b'<!DOCTYPE query [<!ENTITY x SYSTEM "file:///etc/passwd">]><query>&x;</query>',
        "the XML declares entities, which are refused",
    ),
}
PATHS = ["missing file", "folder"]
# One bad value in Palmyra's record: (field, value, what the warning says about it).
RECORDS: list[tuple[str, str, str]] = [
    *(
        (field, value, f"<{field}> {value!r} is not a {field} (-{limit} to {limit})")
        for field, limit in (("latitude", 90), ("longitude", 180))
        for value in ("Infinity", "-Infinity", "inf", "NaN", "-nan", "sNaN", "1e30", "1e400")
    ),
    ("latitude", "9" * 5000, f"<latitude> {'9' * 5000!r} is not a latitude (-90 to 90)"),
    ("longitude", "east", "<longitude> 'east' is not a number"),
    ("id_number", "²³", "id_number '²³' is not a number"),
    ("id_number", "9" * 5000, f"id_number {'9' * 5000!r} is not a number"),
]
SWEEP_SIZE = len(FILES) + 1 + len(PATHS) + len(RECORDS)


def run(path: Path) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_whc", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", FILES)
def test_a_file_that_cannot_be_the_export_is_one_line_and_imports_nothing(
    tmp_path, temp_dir, name
):
    content, message = FILES[name]
    path = tmp_path / "whc.xml"
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        run(path)
    assert str(refused.value).startswith(f"{path}: not a World Heritage List export: ")
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert not HeritageSite.objects.exists()
    assert list(temp_dir.iterdir()) == []


def test_a_huge_file_is_refused_after_reading_only_the_limit(tmp_path, temp_dir):
    path = sparse_huge_file(tmp_path / "huge.xml", SAMPLE)
    with pytest.raises(CommandError, match="it is larger than the limit of 32 MB"):
        run(path)
    assert not HeritageSite.objects.exists()
    assert list(temp_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("where", "message"),
    [("nowhere.xml", "nowhere.xml: no such file."), (".", "is a folder, not an XML file.")],
    ids=PATHS,
)
def test_a_path_that_is_not_a_file_is_one_line(tmp_path, where, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path / where)
    assert not HeritageSite.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "warning"),
    RECORDS,
    ids=[f"{field}={value[:12]}" for field, value, _ in RECORDS],
)
def test_a_record_with_a_bad_number_is_skipped_and_the_rest_imported(
    tmp_path, temp_dir, field, value, warning
):
    assert SAMPLE.count(b"<%s>%s<" % (field.encode(), PALMYRA[field])) == 1
    path = tmp_path / "whc.xml"
    path.write_bytes(
        SAMPLE.replace(
            b"<%s>%s<" % (field.encode(), PALMYRA[field]),
            b"<%s>%s<" % (field.encode(), value.encode()),
        )
    )
    out, err = run(path)
    assert out.strip() == "4 created, 0 updated, 0 unchanged, 3 skipped."
    record = value if field == "id_number" else "23"
    assert f"skipped id {record}: {warning}" in err.splitlines()
    assert not HeritageSite.objects.filter(name="Site of Palmyra").exists()
    # Every record after Palmyra's is imported.
    assert set(HeritageSite.objects.values_list("unesco_id", flat=True)) == {21, 1, 1187, 1348}
    assert list(temp_dir.iterdir()) == []


# The command, as curators run it: a process of its own


def test_a_huge_file_is_refused_in_a_line_and_in_bounded_memory(tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    status, stderr, baseline = manage(tmp_path, "import_whc", str(empty))
    assert status == 1
    assert stderr == f"CommandError: {empty}: not a World Heritage List export: it is empty.\n"
    huge = sparse_huge_file(tmp_path / "huge.xml", SAMPLE)
    status, stderr, peak = manage(tmp_path, "import_whc", str(huge))
    print(
        f"\nimport_whc: peak RSS {peak / 1024:.1f} MiB refusing a {HUGE_FILE // 1024**3} GiB "
        f"file, {baseline / 1024:.1f} MiB refusing an empty one; sweep of {SWEEP_SIZE} cases"
    )
    assert status == 1
    assert stderr == (
        f"CommandError: {huge}: not a World Heritage List export: it is larger than the limit "
        "of 32 MB.\n"
    )
    # One read of the limit, never the file: the limit and a little over the empty file's run.
    assert peak - baseline < (MAX_BYTES + 16 * 1024**2) // 1024


@pytest.mark.parametrize("name", ["billion laughs", "unknown encoding"])
def test_the_process_exits_non_zero_with_one_line_and_no_traceback(tmp_path, name):
    content, message = FILES[name]
    path = tmp_path / "whc.xml"
    path.write_bytes(content)
    status, stderr, _ = manage(tmp_path, "import_whc", str(path))
    assert status == 1
    assert len(stderr.splitlines()) == 1 and stderr.startswith("CommandError: ")
    assert message in stderr and "Traceback" not in stderr
