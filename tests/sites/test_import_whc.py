"""Importing the UNESCO World Heritage List XML export."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sites.models import HeritageSite

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "whc-sample.xml"


def run(path=SAMPLE) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_whc", str(path), stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_it_imports_the_sites_and_reports_malformed_records_by_id():
    out, err = run()
    assert out == "5 created, 0 updated, 0 unchanged, 2 skipped."
    assert "skipped id 22: <latitude> 'north' is not a number" in err
    assert "skipped id x1348: id_number 'x1348' is not a number" in err
    palmyra = HeritageSite.objects.get(unesco_id=23)
    assert (palmyra.name, palmyra.category, palmyra.criteria) == (
        "Site of Palmyra",
        "cultural",
        "(i)(ii)(iv)",
    )
    assert (palmyra.year_inscribed, palmyra.in_danger_since, palmyra.region) == (
        1980,
        2013,
        "arab_states",
    )
    assert (str(palmyra.latitude), str(palmyra.longitude)) == ("34.554167", "38.266667")
    assert [c.code for c in palmyra.countries] == ["SY"]


def test_a_second_run_changes_nothing():
    run()
    assert run()[0] == "0 created, 0 updated, 5 unchanged, 2 skipped."
    assert HeritageSite.objects.count() == 5


def test_it_reads_the_newer_nested_coordinates_and_every_state_party():
    run()
    struve = HeritageSite.objects.get(unesco_id=1187)
    assert (float(struve.latitude), float(struve.longitude)) == (70.670833, 23.663889)
    assert sorted(c.code for c in struve.countries) == [
        "BY",
        "EE",
        "FI",
        "LT",
        "LV",
        "MD",
        "NO",
        "RU",
        "SE",
        "UA",
    ]


def test_missing_coordinates_are_null_never_0_0():
    run()
    villages = HeritageSite.objects.get(unesco_id=1348)
    assert (villages.latitude, villages.longitude) == (None, None)


def test_danger_is_read_defensively():
    _, err = run()
    galapagos = HeritageSite.objects.get(unesco_id=1)
    assert (galapagos.in_danger_since, galapagos.category) == (None, "natural")
    assert "id 21: in danger ('Y') without a year" in err
    assert "id 1187: unknown country code 'ZZ' left out" in err


def test_descriptions_are_sanitised_to_plain_text():
    run()
    palmyra = HeritageSite.objects.get(unesco_id=23)
    assert palmyra.unesco_description.startswith("An oasis in the Syrian desert")
    assert "<" not in palmyra.unesco_description and "alert" not in palmyra.unesco_description
    aleppo = HeritageSite.objects.get(unesco_id=21)
    assert 'and "souks".' in aleppo.unesco_description


def test_curators_fields_are_never_overwritten(demo):
    palmyra = HeritageSite.objects.get(unesco_id=23)
    palmyra.description = "Written by our curators."
    palmyra.location_is_sensitive = True
    palmyra.save()
    out, _ = run()
    assert out.startswith("3 created, 2 updated")  # the demo has Palmyra and Aleppo
    palmyra.refresh_from_db()
    assert (palmyra.slug, palmyra.description, palmyra.location_is_sensitive) == (
        "palmyra",
        "Written by our curators.",
        True,
    )
    assert palmyra.unesco_description.startswith("An oasis")
    assert palmyra.monuments.count() == 16


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "it is empty"),
        (b"\x89PNG\r\n\x1a\n", "not well-formed XML"),
        (b"<rss><row/></rss>", "the root element is <rss>, not <query>"),
        (
            b'<!DOCTYPE q [<!ENTITY a "aaaa">]><query><row><site>&a;</site></row></query>',
            "entities, which are refused",
        ),
    ],
)
def test_a_file_that_is_not_the_export_is_one_readable_error(tmp_path, content, message):
    path = tmp_path / "list.xml"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not HeritageSite.objects.exists()


def test_a_missing_file_is_one_readable_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nowhere.xml")


def test_the_command_exits_non_zero_with_one_line(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "import_whc", str(tmp_path / "nowhere.xml")],
        cwd=Path(__file__).parents[2],
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"CommandError: {tmp_path / 'nowhere.xml'}: no such file."
    ]


def _with_latitude(latitude: str) -> bytes:
    """The sample with Palmyra's latitude replaced; Palmyra is the first record."""
    sample = SAMPLE.read_bytes()
    assert sample.count(b"<latitude>34.5541666667</latitude>") == 1
    return sample.replace(
        b"<latitude>34.5541666667</latitude>", f"<latitude>{latitude}</latitude>".encode()
    )


@pytest.mark.parametrize("latitude", ["Infinity", "-inf", "NaN", "sNaN", "1e30", "1e400", "91"])
def test_a_coordinate_that_is_not_a_finite_latitude_skips_only_its_record(tmp_path, latitude):
    path = tmp_path / "list.xml"
    path.write_bytes(_with_latitude(latitude))
    out, err = run(path)
    assert out == "4 created, 0 updated, 0 unchanged, 3 skipped."
    assert f"skipped id 23: <latitude> {latitude!r} is not a latitude" in err
    assert not HeritageSite.objects.filter(unesco_id=23).exists()
    assert HeritageSite.objects.filter(unesco_id=21).exists()  # the record after it
