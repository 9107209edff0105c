"""Reads from PostgreSQL hot standbys (settings.DATABASE_REPLICAS, from DATABASE_REPLICA_URLS).

What reads where:
- The public side (the API under /api/, the public pages and their feeds, the public photos
  under /evidence/) reads a replica: one per request, taken in turn (round robin), skipping
  one that fails its health check. A request reads one replica from start to end, the data
  version its kept answers are filed under included (reports.models.PublicDataVersion): an
  answer computed from a lagging replica's rows is filed under that replica's older version,
  never under the primary's newer one.
- `export_release` reads one replica the same way (reading_public_data), in one snapshot.
- Everything else reads the primary: the admin, the health check, management commands, and
  every write. So does a read inside a transaction on the primary (it may read its own
  writes) and a read of accounts and sessions (they are the curators').
- Read-your-writes: a signed-in curator's admin requests leave a signed cookie in their
  browser; for settings.DATABASE_CURATOR_PRIMARY_SECONDS after the last one, that browser's
  public reads are the primary's too, so a curator sees what they just wrote at once. Signing
  out removes it.

Health: a replica is asked, at most every settings.DATABASE_REPLICA_CHECK_SECONDS per process,
how far behind it is (one query); one that does not answer, or lags more than
settings.DATABASE_REPLICA_MAX_LAG seconds, is skipped until a later check finds it well. When
none is well, the primary answers. A request that fails (5xx) on a replica has that replica
checked at once; if the check fails too, the request is answered again by the primary (reads
change nothing, so repeating one is safe) and the replica skipped from then on."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeGuard, cast

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse

logger = logging.getLogger(__name__)

# The apps whose rows the public reads; the others (accounts, sessions, the admin's log,
# content types) are the curators', read where they are written.
REPLICATED_APPS = frozenset({"sites", "reports"})
# The views that answer the public: the API, the pages (their feeds included), the photos.
PUBLIC_URL_NAMESPACES = frozenset({"api", "pages"})
PUBLIC_VIEW_NAMES = frozenset({"evidence-file"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CURATOR_COOKIE = "reads_primary"
CURATOR_COOKIE_SALT = "heritage.read_replicas.curator"

# How far behind the primary a standby is, in seconds: 0 when it has replayed everything it
# received, else the age of the last transaction it replayed (what the public sees is that
# old). A server that is not a standby is 0 behind.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


@dataclass
class Reads:
    """Where the reads of the current request or command go."""

    database: str = DEFAULT_DB_ALIAS
    # Set when a request is answered again after its replica failed.
    primary_only: bool = False


_reads: ContextVar[Reads | None] = ContextVar("heritage_reads", default=None)


def read_database() -> str:
    """The alias the current request's or command's public reads go to."""
    reads = _reads.get()
    return DEFAULT_DB_ALIAS if reads is None else reads.database


class ReplicaRouter:
    """Django's database router (settings.DATABASE_ROUTERS): every write to the primary; a
    read of public data to the replica chosen for the request or command, if any."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        reads = _reads.get()
        if reads is None or reads.database == DEFAULT_DB_ALIAS:
            return None  # the primary (Django's default)
        if model._meta.app_label not in REPLICATED_APPS:  # type: ignore[attr-defined]
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS  # a transaction on the primary reads its own writes
        return reads.database

    def db_for_write(self, model: type, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replicas hold the primary's rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # a standby replays the primary's migrations


@dataclass
class _Health:
    healthy: bool
    checked_at: float


_health: dict[str, _Health] = {}
_checking: dict[str, threading.Lock] = {}
_checking_lock = threading.Lock()
_turn = itertools.count()


def choose_replica() -> str | None:
    """The next healthy replica in turn, or None when none is (the primary answers). Asks a
    replica's health only when the last answer is older than DATABASE_REPLICA_CHECK_SECONDS."""
    healthy = [alias for alias in settings.DATABASE_REPLICAS if replica_healthy(alias)]
    return healthy[next(_turn) % len(healthy)] if healthy else None


def replica_healthy(alias: str, *, recheck: bool = False) -> bool:
    """Whether the replica answers and is not too far behind: the last answer of this
    process, unless older than DATABASE_REPLICA_CHECK_SECONDS or `recheck`; then asked (one
    query, on this thread's connection to it). While another thread asks, the last answer
    stands."""
    known = _health.get(alias)
    fresh = (
        known is not None
        and time.monotonic() - known.checked_at < settings.DATABASE_REPLICA_CHECK_SECONDS
    )
    if fresh and not recheck and known is not None:
        return known.healthy
    with _checking_lock:
        lock = _checking.setdefault(alias, threading.Lock())
    if not lock.acquire(blocking=known is None or recheck):
        return known is not None and known.healthy
    try:
        healthy = _check(alias)
        was = _health.get(alias)
        _health[alias] = _Health(healthy, time.monotonic())
        if healthy and was is not None and not was.healthy:
            logger.warning("Read replica %s is well again: public reads go to it.", alias)
    finally:
        lock.release()
    return healthy


def _check(alias: str) -> bool:
    connection = connections[alias]
    try:
        connection.close_if_unusable_or_obsolete()
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError as error:
        with suppress(DatabaseError):
            connection.close()
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        _say_down(alias, f"does not answer ({reason})")
        return False
    lag = float(row[0]) if row else 0.0
    max_lag = settings.DATABASE_REPLICA_MAX_LAG
    if max_lag and lag > max_lag:
        _say_down(alias, f"is {lag:.1f} s behind the primary (DATABASE_REPLICA_MAX_LAG={max_lag})")
        return False
    return True


def _say_down(alias: str, why: str) -> None:
    was = _health.get(alias)
    if was is None or was.healthy:
        logger.warning("Read replica %s %s: skipped until it is well.", alias, why)


def replicas_health() -> dict[str, str]:
    """{alias: "up" or "down"} of each replica, as choose_replica sees them."""
    return {
        alias: "up" if replica_healthy(alias) else "down" for alias in settings.DATABASE_REPLICAS
    }


def close_broken_connections() -> None:
    """After a database error: close the connections it left unusable (the primary's, and the
    replica's the request read from), so that the next request connects afresh."""
    for alias in {DEFAULT_DB_ALIAS, read_database()}:
        connections[alias].close_if_unusable_or_obsolete()


def forget_health() -> None:
    """Forget every replica's last health answer (the next read asks again)."""
    _health.clear()


@contextmanager
def reading_public_data() -> Iterator[str]:
    """Public reads within the block go to one replica, chosen as for a request (the
    primary when none is well or none is configured). Yields its alias, for a transaction
    on it (a snapshot: `transaction.atomic(using=alias)`)."""
    reads = Reads(database=choose_replica() or DEFAULT_DB_ALIAS)
    token = _reads.set(reads)
    try:
        yield reads.database
    finally:
        _reads.reset(token)


def reads_public_data(request: HttpRequest) -> bool:
    """Whether the request, resolved, is a read of a public view."""
    match = request.resolver_match
    if request.method not in READ_METHODS or match is None:
        return False
    return bool(PUBLIC_URL_NAMESPACES & set(match.namespaces)) or (
        match.view_name in PUBLIC_VIEW_NAMES
    )


def curator_reads_primary(request: HttpRequest) -> bool:
    """Whether this browser's signed-in curator used the admin within
    DATABASE_CURATOR_PRIMARY_SECONDS (a signed cookie: one no one else can make)."""
    if CURATOR_COOKIE not in request.COOKIES:
        return False
    signed = request.get_signed_cookie(
        CURATOR_COOKIE,
        default=None,
        salt=CURATOR_COOKIE_SALT,
        max_age=settings.DATABASE_CURATOR_PRIMARY_SECONDS,
    )
    return signed is not None


class ReadReplicaMiddleware:
    """Chooses where a request reads (see the module's docstring). Without replicas
    configured, it does nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        reads = Reads()
        response = self._answer(request, reads)
        replica = reads.database
        if replica != DEFAULT_DB_ALIAS:
            if response.status_code >= 500 and not replica_healthy(replica, recheck=True):
                logger.warning("A read failed on replica %s: answered by the primary.", replica)
                request.read_database = DEFAULT_DB_ALIAS  # type: ignore[attr-defined]
                response = self._answer(request, Reads(primary_only=True))
            elif _streamed_from_the_database(response):
                # Read as it is sent, after this returns: from the same replica.
                chunks = cast(Iterator[bytes], response.streaming_content)  # not async
                response.streaming_content = _streamed_within(reads, chunks)
        self._remember_curator(request, response)
        return response

    def _answer(self, request: HttpRequest, reads: Reads) -> HttpResponseBase:
        token = _reads.set(reads)
        try:
            return self.get_response(request)
        finally:
            _reads.reset(token)

    def process_view(self, request: HttpRequest, *args: Any) -> None:
        """Once the address is resolved, before the view reads anything (the session and
        the user are read lazily): a public read goes to a replica."""
        reads = _reads.get()
        if reads is None or reads.primary_only or not reads_public_data(request):
            return
        if not curator_reads_primary(request):
            reads.database = choose_replica() or DEFAULT_DB_ALIAS
        request.read_database = reads.database  # type: ignore[attr-defined] # for the log line

    def _remember_curator(self, request: HttpRequest, response: HttpResponseBase) -> None:
        """After an admin request of a signed-in curator, (re)set the cookie that sends this
        browser's public reads to the primary; once signed out, remove it."""
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return
        user = getattr(request, "user", None)  # already read by the admin: no query
        if user is not None and user.is_authenticated and user.is_staff:
            response.set_signed_cookie(
                CURATOR_COOKIE,
                "1",
                salt=CURATOR_COOKIE_SALT,
                max_age=settings.DATABASE_CURATOR_PRIMARY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif CURATOR_COOKIE in request.COOKIES:
            response.delete_cookie(CURATOR_COOKIE, samesite="Lax")


def _streamed_from_the_database(response: HttpResponseBase) -> TypeGuard[StreamingHttpResponse]:
    """A streamed answer read as it is sent (a CSV export), not a file's or an async one."""
    return (
        isinstance(response, StreamingHttpResponse)
        and not isinstance(response, FileResponse)
        and not response.is_async
    )


def _streamed_within(reads: Reads, chunks: Iterator[Any]) -> Iterator[Any]:
    """`chunks`, each read with `reads` in force (a streamed answer is read after the
    middleware returned)."""
    iterator = iter(chunks)
    while True:
        token = _reads.set(reads)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _reads.reset(token)
        yield chunk
