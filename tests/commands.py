"""Running our management commands as curators do: `python manage.py …` in a process of its
own, with its exit status, standard error and peak memory."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parents[1]
HUGE_FILE = 1024**3  # sparse: a gigabyte on paper, a few kilobytes on disk

# A parent of its own measures the command, so that no other child of the test run counts.
MEASURE = """\
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
sys.stderr.buffer.write(done.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""


def manage(tmp_path: Path, *args: str) -> tuple[int, str, int]:
    """`python manage.py <args>` on a throwaway SQLite database: its exit status, its standard
    error and its peak resident memory in KiB. Fails if it leaves a temporary file."""
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "manage.py", *args],
        cwd=REPO,
        env={
            "DJANGO_DEBUG": "1",
            "DJANGO_ENV_FILE": "",
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "TMPDIR": str(temp),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert list(temp.iterdir()) == []
    return done.returncode, done.stderr, int(done.stdout)


def sparse_huge_file(path: Path, head: bytes) -> Path:
    """A file that starts with `head`, then a gigabyte of nothing."""
    with path.open("wb") as file:
        file.write(head)
        file.truncate(HUGE_FILE)
    return path
