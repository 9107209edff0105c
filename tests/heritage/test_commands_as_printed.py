"""The commands the README shows and `make run` prints work as printed, in a fresh copy of the
checkout where `make run` has written its `.env`, with nothing else in the environment: no
DJANGO_DEBUG, no secret key, no DATABASE_URL. Commands that cannot run in a test (servers,
make targets that install, other programs) are at least checked to exist and parse."""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()
MANAGE = [".venv/bin/python", "manage.py"]


def readme_commands() -> list[str]:
    """Every command line of the README's shell code blocks, without comments."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands


def make_run_printed_commands(database_url: str | None) -> list[str]:
    """The commands `make run`'s recipe echoes, as the shell prints them."""
    variables = dict(re.findall(r"^([A-Z]+) := (.*)$", MAKEFILE, flags=re.MULTILINE))
    recipe = MAKEFILE.split("\nrun: .env $(STAMP)\n", 1)[1].split("\n\n", 1)[0]
    printed = []
    for echo in re.findall(r'echo "(    [^"]*\$\(MANAGE\)[^"]*)"', recipe):
        while match := re.search(r"\$\((\w+)\)", echo):
            echo = echo.replace(match.group(0), variables[match.group(1)])
        environment = {"PATH": os.environ["PATH"]}
        if database_url:
            environment["DATABASE_URL"] = database_url
        output = subprocess.run(
            [shutil.which("sh"), "-c", f'echo "{echo.replace("$$", "$")}"'],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        printed.append(output.strip())
    return printed


def without_assignments(command: str) -> list[str]:
    words = shlex.split(command)
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        words.pop(0)
    return words


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A fresh copy of the checkout's files, sharing this checkout's virtualenv, after the part
    of `make run` that matters here: its `.env` and the migrations."""
    copy = tmp_path_factory.mktemp("checkout")
    tracked = subprocess.run(
        # The working tree as it is (tracked files and new ones), not what is ignored.
        [shutil.which("git"), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    assert not (copy / ".env").exists()
    make = run(["make", "--no-print-directory", ".env"], copy)
    assert make.returncode == 0, make.stderr
    migrate = run([*MANAGE, "migrate", "--noinput"], copy)
    assert migrate.returncode == 0, migrate.stderr
    return copy


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """Run a command with only PATH and HOME from this environment (a newcomer's shell)."""
    environment = {"PATH": os.environ["PATH"], "HOME": str(cwd)} | env
    return subprocess.run(
        args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300, check=False
    )


def test_make_run_writes_a_private_env_once(checkout):
    env_file = checkout / ".env"
    text = env_file.read_text()
    assert "DJANGO_DEBUG=1" in text.splitlines()
    key = re.search(r"^DJANGO_SECRET_KEY=(\S{40,})$", text, flags=re.MULTILINE)
    assert key, text
    assert env_file.stat().st_mode & 0o077 == 0  # the key is readable by its owner only
    again = run(["make", "--no-print-directory", ".env"], checkout)
    assert again.returncode == 0
    assert env_file.read_text() == text  # never overwritten
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def test_the_printed_createsuperuser_works_as_printed(checkout):
    printed = make_run_printed_commands(database_url=None)
    assert printed == [shlex.join([*MANAGE, "createsuperuser"])]
    # Interactive as printed; the README's other way (--noinput and DJANGO_SUPERUSER_*) runs
    # the same settings without a terminal.
    result = run(
        [*shlex.split(printed[0]), "--noinput"],
        checkout,
        DJANGO_SUPERUSER_USERNAME="newcomer",
        DJANGO_SUPERUSER_EMAIL="newcomer@example.org",
        DJANGO_SUPERUSER_PASSWORD="a-long-Passphrase-4-tests",
    )
    assert result.returncode == 0, result.stderr
    assert "Superuser created successfully." in result.stdout


def test_make_run_prints_the_database_it_used():
    url = "postgres://curator@127.0.0.1:5432/heritage"
    assert make_run_printed_commands(database_url=url) == [
        f"DATABASE_URL={url} {shlex.join([*MANAGE, 'createsuperuser'])}"
    ]


def test_environment_variables_win_over_the_env_file(checkout):
    show = [
        *MANAGE,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
    ]
    assert run(show, checkout).stdout.strip() == "True"  # from .env
    assert run(show, checkout, DJANGO_DEBUG="0").stdout.strip() == "False"
    without = run([*MANAGE, "check"], checkout, DJANGO_ENV_FILE="")
    assert "DJANGO_SECRET_KEY must be set" in without.stderr


# What each README command needs that a test cannot give it, and what is checked instead.
NOT_RUN_HERE = {
    "make": "make -n: the target exists and its recipe parses (it installs or serves)",
    "createdb": "a PostgreSQL client program, not ours",
    "curl": "asks the server `make run` starts",
    "export": "placeholders (…) for production secrets",
}


@pytest.mark.parametrize("command", readme_commands())
def test_every_readme_command_works_as_printed(checkout, command):
    words = without_assignments(command)
    program = words[0]
    if words[:2] in (MANAGE, ["python", "manage.py"]):
        name, options = words[2], [w.split("=")[0] for w in words[3:] if w.startswith("--")]
        # Running them needs articles, minutes or a PostgreSQL server: their help must list
        # the options the README uses, in the settings the README's reader has.
        result = run([*MANAGE, "help", name], checkout)
        assert result.returncode == 0, result.stderr
        for option in options:
            assert option in result.stdout, f"{name} has no {option}"
        check = run([*MANAGE, "check"], checkout)
        assert check.returncode == 0, check.stderr
    elif program == "make":
        result = run(["make", "-n", *words[1:]], checkout)
        assert result.returncode == 0, result.stderr
    else:
        assert program in NOT_RUN_HERE, f"{command!r}: run it here, or say why not"
