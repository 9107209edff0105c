"""What our management commands share: reading the file a curator names."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from django.core.management.base import CommandError


@contextmanager
def input_file(path: str, kind: str) -> Iterator[BinaryIO]:
    """The file at `path` opened for reading bytes, or standard input for "-". A path that
    cannot be read is one CommandError line naming it: "…: is a folder, not `kind`."."""
    try:
        if path == "-":
            yield sys.stdin.buffer
        else:
            with open(path, "rb") as file:
                yield file
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not {kind}.") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot be read ({error.strerror or error}).") from None
