"""Health and database-outage answers, for load balancers and API clients."""

from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from rest_framework.response import Response
from rest_framework.views import exception_handler

from heritage.read_replicas import close_broken_connections, replicas_health

OUTAGE_MESSAGE = "The database is unavailable; try again in a minute."
RETRY_AFTER_SECONDS = "30"


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database (the primary) answers a query, 503 when it does not. With read
    replicas, also whether each is well (one skipped is no reason to take this server out:
    the primary answers in its place)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = JsonResponse({"status": "unavailable", "database": "down"}, status=503)
        response["Retry-After"] = RETRY_AFTER_SECONDS
    else:
        status: dict[str, Any] = {"status": "ok", "database": "up"}
        if settings.DATABASE_REPLICAS:
            status["replicas"] = replicas_health()
        response = JsonResponse(status)
    response["Cache-Control"] = "no-store"
    return response


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a database that cannot be reached is a 503 with a JSON message,
    not a 500 (the next request, once it is back, succeeds: connections are health-checked)."""
    if isinstance(exc, DatabaseError):
        close_broken_connections()
        return Response(
            {"detail": OUTAGE_MESSAGE}, status=503, headers={"Retry-After": RETRY_AFTER_SECONDS}
        )
    return exception_handler(exc, context)
