#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

On a developer's machine it first reads `.env` next to this file, if there is one (`make run`
writes it: debug on and a secret key of this checkout's own), so that the commands the README
and `make run` print work as printed. Variables already set in the environment win over it;
`DJANGO_ENV_FILE` names another file, or none when empty. Production and the test suite do not
go through here (gunicorn loads heritage.wsgi; pytest loads tests.settings)."""

import os
import sys
from pathlib import Path


def read_env_file() -> None:
    """Set the variables of the env file that the environment does not set already. Lines are
    NAME=value; blank lines and # comments are skipped, as are empty values (the default)."""
    default = Path(__file__).resolve().parent / ".env"
    name = os.environ.get("DJANGO_ENV_FILE", str(default))
    if not name or not Path(name).is_file():
        return
    for number, line in enumerate(Path(name).read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, equals, value = line.removeprefix("export ").partition("=")
        key, value = key.strip(), value.strip()
        if not equals or not key.isidentifier():
            sys.exit(f"Configuration error: {name}, line {number}: expected NAME=value")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if value:
            os.environ.setdefault(key, value)


def main() -> None:
    read_env_file()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heritage.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A missing or malformed environment variable: one readable line, not a traceback.
        sys.exit(f"Configuration error: {error}")


if __name__ == "__main__":
    main()
