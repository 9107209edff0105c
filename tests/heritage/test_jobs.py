"""Jobs without a worker (inline: run in the request or command that starts them), their
records, inputs, retries and admin pages."""

import pytest

pytestmark = pytest.mark.django_db


def whc_export(count: int, start: int = 1, bad: set[int] = frozenset()) -> bytes:
    """A World Heritage List export of `count` records (ids from `start`); the ids in `bad`
    have a latitude that is not one."""
    rows = "".join(
        f"<row><id_number>{n}</id_number><site>Site {n}</site><category>Cultural</category>"
        f"<iso_code>sy</iso_code><region>Arab States</region><date_inscribed>1980"
        f"</date_inscribed><latitude>{'NaN' if n in bad else '34.5'}</latitude>"
        f"<longitude>38.2</longitude></row>\n"
        for n in range(start, start + count)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<query>\n{rows}</query>\n'.encode()
