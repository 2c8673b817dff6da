"""Project-level views: the landing redirect and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import is_administrator, is_clinician, is_front_desk
from config.celery_app import app as celery_app


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands in its own workspace; administrators in the admin."""
    if is_administrator(request.user):
        return redirect("admin:index")
    if is_clinician(request.user):
        return redirect("referrals:queue")
    if is_front_desk(request.user):
        return redirect("intake:desk")
    raise PermissionDenied("Your account has no role yet. Ask an administrator to assign one.")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        # Opening a channel makes the transport talk to the server (Redis pings on it); a bare
        # connection object can be created without the broker answering.
        _ = conn.default_channel


@never_cache
@require_GET
def healthz(_request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer; 503 naming the part that does not."""
    checks = {"database": _check_database, "broker": _check_broker}
    report: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure means the part is down; details go nowhere public
            report[name] = "unavailable"
        else:
            report[name] = "ok"
    healthy = all(value == "ok" for value in report.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **report}, status=200 if healthy else 503
    )
