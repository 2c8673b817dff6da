"""Through the documented web server (gunicorn with config/gunicorn.py, 1+ real workers):
no log holds a patient-link token or a staff search word, and a database connection the server
dropped costs no request a 500."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.log_privacy import private_urls_masked
from tests.factories import PASSWORD, FrontDeskFactory, IntakeFactory, PatientFactory
from tests.intake.factories import new_link
from tests.servers import gunicorn, http_get, require_shared_database

CANARY = "Zqxcanary"


class _Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            return error.read().decode()

    def post(self, path: str, data: dict[str, str]) -> str:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        request.add_header("Referer", self.base + path)
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()


def test_the_filter_masks_tokens_and_drops_query_strings() -> None:
    line = 'GET /p/abcDEF_123-xyz/ HTTP/1.1" 302 "/desk/?q=Smith&page=2"'
    assert private_urls_masked(line) == 'GET /p/***/ HTTP/1.1" 302 "/desk/"'


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_canary_patient_walked_through_search_and_form_leaves_no_trace_in_any_log(
    tmp_path,
) -> None:
    require_shared_database()
    FrontDeskFactory(username="desk")
    patient = PatientFactory(last_name=CANARY, first_name=CANARY)
    link = new_link(IntakeFactory(patient=patient), now=timezone.now())

    with gunicorn(tmp_path, workers=2, LOG_LEVEL="INFO") as server:
        staff = _Browser(server.url)
        staff.get("/accounts/login/")
        staff.post("/accounts/login/", {"username": "desk", "password": PASSWORD})
        assert CANARY in staff.get(f"/desk/?q={CANARY}")
        staff.get(f"/desk/patients/{patient.pk}/?q={CANARY}")
        patient_browser = _Browser(server.url)
        assert "form" in patient_browser.get(f"/p/{link.token}/").lower()
        patient_browser.get("/form/")
        # A wrong and a revoked-looking token: Django logs "Not Found" with the path.
        http_get(f"{server.url}/p/{link.token[:-1]}A/")
        http_get(f"{server.url}/p/{link.token}/extra?q={CANARY}")
        logs = server.log_text()

    assert re.search(r"GET /p/\*\*\*/", logs), "the walk did not reach the access log"
    assert link.token not in logs
    assert link.token[:20] not in logs
    assert CANARY not in logs
    assert CANARY.lower() not in logs.lower()


def _terminate_other_connections() -> int:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s",
            (db["NAME"], connection.connection.info.backend_pid if connection.connection else 0),
        ).fetchall()
    return len(rows)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_pg_terminate_backend_the_next_request_is_answered_not_a_500(tmp_path) -> None:
    require_shared_database()
    connection.ensure_connection()
    with gunicorn(tmp_path, workers=1, CONN_MAX_AGE="60") as server:
        wrong = f"{server.url}/p/{'x' * 43}/"
        assert http_get(wrong) < 500  # the worker now keeps a connection open
        assert _terminate_other_connections() >= 1

        statuses = [http_get(wrong) for _ in range(3)]

    assert all(status < 500 for status in statuses), statuses
