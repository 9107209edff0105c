"""The kinds of job, registered by the apps that own their nouns (sites.jobs, reports.jobs,
heritage.spreadsheet_import), so that this app knows none of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heritage.jobs.forms import StartForm
    from heritage.jobs.services import JobRun


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    #: Does the work: reads run.params and run.inputs(), reports progress and outcome to run.
    run: Callable[[JobRun], None]
    #: Whether a user may start (or retry) this job, given its params.
    allowed: Callable[[Any, dict[str, Any]], bool]
    #: The admin's form that starts it (a StartForm); None when another page starts it.
    form: type[StartForm] | None = None
    #: Without a worker, a job runs in the request that starts it: at most this many items
    #: (records, articles), so that the request ends within a web server's timeout.
    inline_limit: int = 0
    #: A sentence for the start page.
    help: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    if kind.name in KINDS and KINDS[kind.name] != kind:
        raise ValueError(f"Two kinds of job are named {kind.name!r}.")
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> JobKind:
    return KINDS[name]


def kind_label(name: str) -> str:
    return KINDS[name].label if name in KINDS else name


def has_permissions(*codes: str) -> Callable[[Any, dict[str, Any]], bool]:
    """`allowed` for kinds that need the same model permissions whatever their params."""

    def allowed(user: Any, params: dict[str, Any]) -> bool:
        return bool(user.is_active and user.has_perms(codes))

    return allowed
