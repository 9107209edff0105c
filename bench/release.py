"""A citable release of the benchmark data (issue 14): `manage.py export_release` on the
200,000 reports serve_bench.py makes, twice, each in its own process. Prints the time, the
files' sizes, the process's peak memory against that of a release of the demo data (9 reports:
what Python and Django take anyway), and whether the two releases have the same bytes.

    .venv/bin/python bench/release.py      # make bench runs this
"""

import hashlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from in_process_setup import BENCH_DATABASE_URL, ROOT

MANAGE = [sys.executable, str(ROOT / "manage.py"), "export_release"]


def export(database_url: str, into: Path) -> tuple[float, int, Path]:
    """(seconds, peak memory in MB, the release folder) of one export in a fresh process."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "1",
        "DJANGO_ENV_FILE": "",
    }
    started = time.perf_counter()
    # Each export is the only child waited for here: its peak is RUSAGE_CHILDREN's maximum.
    subprocess.run(
        [*MANAGE, str(into)], env=environment, check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    (release,) = [p for p in into.iterdir() if not p.name.startswith(".")]
    return seconds, peak, release


def digests(release: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(release.iterdir())}


def main() -> int:
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        demo_db = work_dir / "demo.sqlite3"
        environment = {**os.environ, "DATABASE_URL": f"sqlite:///{demo_db}", "DJANGO_DEBUG": "1"}
        for command in (["migrate", "-v0"], ["load_demo"]):
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), *command],
                env=environment,
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        _, demo_peak, _ = export(f"sqlite:///{demo_db}", work_dir / "demo")
        first_seconds, first_peak, first = export(BENCH_DATABASE_URL, work_dir / "a")
        second_seconds, _, second = export(BENCH_DATABASE_URL, work_dir / "b")
        rows = sum(1 for _ in open(first / "reports.csv", encoding="utf-8")) - 1
        size = sum(p.stat().st_size for p in first.iterdir()) / 1e6
        print(f"Release of the benchmark data: {rows:,} published reports, {size:,.0f} MB")
        print(f"  time: {first_seconds:.1f} s, then {second_seconds:.1f} s")
        print(f"  peak memory: {first_peak} MB (a release of the 9 demo reports: {demo_peak} MB)")
        for name in sorted(p.name for p in first.iterdir()):
            print(f"    {name:24} {(first / name).stat().st_size / 1e6:9.1f} MB")
        same = digests(first) == digests(second)
        print(f"  the same bytes twice: {'yes' if same else 'NO'}")
        return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
