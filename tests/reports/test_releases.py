"""Citable releases (manage.py export_release): everything public and nothing else, the same
bytes for the same data, a manifest that checks, all or nothing, and the pages that list them."""

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pyld import jsonld

from reports.models import DamageReport
from reports.vocabularies import Status
from tests.factories import make_citation, make_report

pytestmark = pytest.mark.django_db


def export(directory: Path, *args: str) -> Path:
    out = io.StringIO()
    call_command("export_release", str(directory), *args, stdout=out)
    (release,) = [p for p in directory.iterdir() if not p.name.startswith(".")]
    assert str(release) in out.getvalue()
    return release


def test_a_release_holds_everything_public_and_its_manifest_checks(demo, tmp_path):
    from sites.models import HeritageSite

    palmyra = HeritageSite.objects.get(slug="palmyra")
    draft = make_report(palmyra, summary="A draft no one may see.")
    make_citation(draft)
    DamageReport.objects.filter(pk=draft.pk).update(curator_notes="Private note.")
    release = export(tmp_path)
    assert release.name.startswith("heritage-damage-")
    names = sorted(p.name for p in release.iterdir())
    assert names == [
        "README.md",
        "SHA256SUMS",
        "heritage-damage.jsonld",
        "monuments.geojson",
        "reports.csv",
        "reports.geojson",
        "sites.geojson",
    ]
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, file = line.split("  ")
        assert hashlib.sha256((release / file).read_bytes()).hexdigest() == digest
    everything = b"".join(p.read_bytes() for p in release.iterdir())
    assert b"A draft no one may see." not in everything and b"Private note." not in everything
    rows = list(csv.DictReader(io.StringIO((release / "reports.csv").read_text())))
    assert len(rows) == DamageReport.objects.public().count() == 9
    features = json.loads((release / "reports.geojson").read_text())
    assert features["type"] == "FeatureCollection" and len(features["features"]) == 9
    assert {f["properties"]["id"] for f in features["features"]} == {int(r["id"]) for r in rows}
    assert len(json.loads((release / "sites.geojson").read_text())["features"]) == 2
    assert len(json.loads((release / "monuments.geojson").read_text())["features"]) == 18
    readme = (release / "README.md").read_text()
    assert "CC BY 4.0" in readme and "How to cite" in readme and "9 published" in readme


def test_the_release_s_json_ld_expands_with_its_own_context(demo, tmp_path):
    document = json.loads((export(tmp_path) / "heritage-damage.jsonld").read_text())
    assert isinstance(document["@context"], dict)  # inline: no server needed

    def offline(url, options=None):
        raise AssertionError(f"fetched {url}")

    expanded = jsonld.expand(document, {"documentLoader": offline})
    assert len(expanded) == 2 + 18 + 9


def test_the_same_data_gives_the_same_bytes(demo, tmp_path, settings):
    first = export(tmp_path / "a")
    second = export(tmp_path / "b")
    assert first.name == second.name
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    settings.RELEASE_LICENCE = "CC0 1.0"
    third = export(tmp_path / "c")
    assert (third / "README.md").read_bytes() != (first / "README.md").read_bytes()
    assert "CC0 1.0" in (third / "README.md").read_text()


def test_a_release_is_all_or_nothing_and_bad_input_is_one_line(demo, tmp_path):
    release = export(tmp_path)
    with pytest.raises(CommandError, match="exists already"):
        call_command("export_release", str(tmp_path))
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_release", str(tmp_path), "--date", "2016-02-30")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(CommandError, match="is a file"):
        call_command("export_release", str(a_file))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", release.name]  # no half-done


def test_a_retraction_leaves_the_next_release(demo, tmp_path, reviewer):
    from reports.services import report_transition

    report = DamageReport.objects.public().order_by("pk").first()
    report_transition(report=report, to=Status.RETRACTED, by=reviewer, reason="Wrong.")
    release = export(tmp_path, "--date", "2030-01-01")
    assert release.name == "heritage-damage-2030-01-01"
    rows = list(csv.DictReader(io.StringIO((release / "reports.csv").read_text())))
    assert str(report.pk) not in {r["id"] for r in rows} and len(rows) == 8


def test_the_pages_list_the_releases_and_serve_only_their_files(client, demo, tmp_path, settings):
    settings.RELEASES_DIR = tmp_path
    assert "No release has been published yet." in client.get("/releases/").content.decode()
    release = export(tmp_path)
    (tmp_path / "secret.txt").write_text("not part of a release")
    (tmp_path / ".heritage-damage-2031-01-01-half").mkdir()  # an export under way
    page = client.get("/releases/").content.decode()
    assert release.name in page and "SHA256SUMS" in page
    assert "Download the data" in client.get("/").content.decode()
    assert "إصدارات البيانات" in client.get("/ar/releases/").content.decode()
    response = client.get(f"/releases/{release.name}/reports.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"".join(response.streaming_content) == (release / "reports.csv").read_bytes()
    for wrong in [
        f"/releases/{release.name}/../secret.txt",
        f"/releases/{release.name}/%2e%2e%2fsecret.txt",
        f"/releases/{release.name}/nothing.csv",
        "/releases/heritage-damage-1999-01-01/reports.csv",
        "/releases/../secret.txt/x",
    ]:
        assert client.get(wrong).status_code == 404, wrong
    assert client.post(f"/releases/{release.name}/reports.csv").status_code == 405
