"""Running our management commands as curators do: `python manage.py …` in a process of its
own, with its exit status, standard error and peak memory."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).parents[1]
HUGE_FILE = 1024**3  # sparse: a gigabyte on paper, a few kilobytes on disk

# A small parent of its own measures the program. Measured from the test run itself, the peak
# would be the test run's: Linux keeps a process's peak memory across fork and exec.
MEASURE = """\
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
sys.stdout.buffer.write(done.stdout)
sys.stderr.buffer.write(done.stderr)
print(f"\\n{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
sys.exit(done.returncode)
"""


def run_measured(args: list[str], env: dict[str, str]) -> tuple[int, str, str, int]:
    """Run `args` from the project's folder: its exit status, standard output, standard error
    and peak resident memory in KiB."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    output, _, peak = done.stdout.rstrip("\n").rpartition("\n")
    return done.returncode, output.removesuffix("\n"), done.stderr, int(peak)


def manage(tmp_path: Path, *args: str) -> tuple[int, str, int]:
    """`python manage.py <args>` on a throwaway SQLite database: its exit status, its standard
    error and its peak resident memory in KiB. Fails if it leaves a temporary file."""
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    status, _, stderr, peak = run_measured(
        [sys.executable, "manage.py", *args],
        env={
            "DJANGO_DEBUG": "1",
            "DJANGO_ENV_FILE": "",
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "TMPDIR": str(temp),
        },
    )
    assert list(temp.iterdir()) == []
    return status, stderr, peak


def sparse_huge_file(path: Path, head: bytes) -> Path:
    """A file that starts with `head`, then a gigabyte of nothing."""
    with path.open("wb") as file:
        file.write(head)
        file.truncate(HUGE_FILE)
    return path
