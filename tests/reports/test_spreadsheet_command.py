"""`manage.py import_spreadsheet`: files too large for the admin, with the same resources and
rules, streamed in batches inside one transaction (issue 10)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.models import DamageReport
from reports.vocabularies import Status
from sites.models import HeritageSite
from tests.factories import make_published_report, make_site
from tests.sites.test_spreadsheet_limits import dimension_bomb, xlsx

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).parents[2]
HEADER = "unesco_id,name,slug,countries,category\n"


def sites_csv(count: int) -> str:
    return HEADER + "".join(f"{n},Site {n},site-{n},SY,cultural\n" for n in range(1, count + 1))


def test_it_imports_more_rows_than_the_admin_takes_in_batches(tmp_path, capsys, settings):
    settings.SPREADSHEET_ADMIN_LIMITS = {**settings.SPREADSHEET_ADMIN_LIMITS, "max_rows": 20}
    path = tmp_path / "sites.csv"
    path.write_text(sites_csv(60))
    call_command("import_spreadsheet", "sites", str(path), "--batch-size", "25")
    assert HeritageSite.objects.count() == 60
    assert "60 new, 0 updated and 0 unchanged sites were imported." in capsys.readouterr().out
    call_command("import_spreadsheet", "sites", str(path), "--batch-size", "25")
    assert "0 new, 0 updated and 60 unchanged" in capsys.readouterr().out


def test_a_bad_row_after_the_first_batch_writes_nothing(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text(sites_csv(60) + "61,Bad,bad,SY,meteor\n")
    with pytest.raises(CommandError) as error:
        call_command("import_spreadsheet", "sites", str(path), "--batch-size", "25")
    message = str(error.value)
    assert message.startswith("Row 61: category:") and "meteor" in message
    assert message.endswith("Nothing was imported.") and "\n" not in message
    assert not HeritageSite.objects.exists()


def test_a_dry_run_checks_everything_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "sites.xlsx"
    path.write_bytes(xlsx([["unesco_id", "name", "slug"], [23, "Site of Palmyra", "palmyra"]]))
    call_command("import_spreadsheet", "sites", str(path), "--dry-run")
    assert "1 new, 0 updated and 0 unchanged sites would be imported." in capsys.readouterr().out
    assert not HeritageSite.objects.exists()


def test_reports_keep_the_import_rules_and_record_the_user(tmp_path, editor):
    site = make_site(slug="palmyra")
    published = make_published_report(site, summary="Theatre used.")
    path = tmp_path / "reports.csv"
    path.write_text(
        "id,site,monument,occurred_on,damage_type,summary\n"
        ",palmyra,,2015-06-01,mines,Mines in the ruins.\n"
    )
    call_command("import_spreadsheet", "reports", str(path), "--user", "edith")
    new = DamageReport.objects.get(summary="Mines in the ruins.")
    assert (new.status, new.created_by) == (Status.DRAFT, editor)
    path.write_text(f"id,summary\n{published.pk},Changed.\n")
    with pytest.raises(CommandError, match="never what the public sees"):
        call_command("import_spreadsheet", "reports", str(path))
    published.refresh_from_db()
    assert published.summary == "Theatre used."


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bomb.xlsx", dimension_bomb(), "Cell XFD1048576 is beyond the 50 columns"),
        ("sites.csv", b"name,slug\nPalmyra,palmyra\n", "no “unesco_id” column"),
        ("sites.csv", "unesco_id,name\n23,Café\n".encode("latin-1"), "is not UTF-8"),
        ("sites.xlsx", b"PK\x03\x04 broken", "not an XLSX file"),
    ],
)
def test_bad_input_stops_with_one_line_and_a_non_zero_exit(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "manage.py", "import_spreadsheet", "sites", str(path)],
        cwd=ROOT,
        env={
            "DJANGO_DEBUG": "1",
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"CommandError: {name}: "), result.stderr
    assert message in lines[0] and lines[0].endswith("Nothing was imported.")
