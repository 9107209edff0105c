"""One JSON line per request, for log collectors: method, path, status, duration (and, with
read replicas, the database a public read was answered from)."""

import json
import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("heritage.requests")


class JSONFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message and any `extra` fields."""

    RESERVED = set(vars(logging.makeLogRecord({})))

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {k: v for k, v in vars(record).items() if k not in self.RESERVED}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    """A log record as a line a person reads: the message, then its `extra` fields
    ("request method=GET path=/api/v1/ status=200 duration_ms=4.1")."""

    def format(self, record: logging.LogRecord) -> str:
        extra = {k: v for k, v in vars(record).items() if k not in JSONFormatter.RESERVED}
        line = super().format(record)
        return " ".join([line, *(f"{key}={value}" for key, value in extra.items())])


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        extra = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        # With read replicas, which database answered a public read (heritage.read_replicas).
        if database := getattr(request, "read_database", None):
            extra["database"] = database
        logger.info("request", extra=extra)
        return response
