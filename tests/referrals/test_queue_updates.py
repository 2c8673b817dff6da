"""The queue refreshes itself: a background poll that keeps no idle session alive, answers 204
when nothing changed, and announces a red-flag arrival in the page's live region."""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from tests.referrals.factories import SELF_HELP, URGENT, submitted_intake

pytestmark = pytest.mark.django_db


def _poll_url(body: str) -> str:
    return html.unescape(re.search(r'id="queue-results" hx-get="([^"]+)"', body).group(1))


def test_the_page_polls_with_the_background_header(clinician_client) -> None:
    body = clinician_client.get("/review/?disposition=urgent").content.decode()

    tag = body[body.index('id="queue-results"') :].split(">", 1)[0]
    assert 'hx-trigger="every 15s"' in tag
    assert """hx-headers='{"X-Background-Poll": "1"}'""" in tag
    poll = urlsplit(_poll_url(body))
    assert poll.path == "/review/updates/"
    assert parse_qs(poll.query)["disposition"] == ["urgent"]


def test_the_page_has_live_regions_for_announcements(clinician_client) -> None:
    body = clinician_client.get("/review/").content.decode()

    assert 'id="queue-urgent-live" class="queue-announcer" aria-live="assertive"' in body
    assert 'id="queue-live" class="visually-hidden" aria-live="polite"' in body


def test_a_poll_with_nothing_new_changes_nothing(clinician_client) -> None:
    submitted_intake()
    url = _poll_url(clinician_client.get("/review/").content.decode())

    response = clinician_client.get(url, HTTP_X_BACKGROUND_POLL="1", HTTP_HX_REQUEST="true")

    assert response.status_code == 204


def test_a_new_submission_appears_at_the_next_poll(clinician_client) -> None:
    url = _poll_url(clinician_client.get("/review/").content.decode())
    intake = submitted_intake(history=SELF_HELP)

    response = clinician_client.get(url, HTTP_X_BACKGROUND_POLL="1", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-intake="{intake.pk}"' in body
    assert "Queue updated: 1 case." in body
    assert "New red-flag case" not in body


def test_a_red_flag_arrival_is_announced_even_outside_the_filter(clinician_client) -> None:
    url = _poll_url(clinician_client.get("/review/?disposition=self_help").content.decode())
    intake = submitted_intake(history=URGENT)
    intake.patient.first_name, intake.patient.last_name = "Ada", "Strider"
    intake.patient.save()

    response = clinician_client.get(url, HTTP_X_BACKGROUND_POLL="1", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    body = response.content.decode()
    announcement = body[body.index('id="queue-urgent-live" hx-swap-oob="innerHTML"') :]
    assert "New red-flag case:" in announcement
    assert "Ada Strider" in announcement
    assert "Possible cauda equina syndrome" in announcement
    assert ">Urgent</span>" in announcement


def test_a_red_flag_case_is_announced_once(clinician_client) -> None:
    url = _poll_url(clinician_client.get("/review/").content.decode())
    submitted_intake(history=URGENT)
    first = clinician_client.get(url, HTTP_X_BACKGROUND_POLL="1").content.decode()

    second = clinician_client.get(_poll_url(first), HTTP_X_BACKGROUND_POLL="1")

    assert second.status_code == 204


def test_a_red_flag_submitted_before_the_page_was_loaded_is_not_announced(
    clinician_client,
) -> None:
    submitted_intake(history=URGENT, submitted_at=timezone.now() - dt.timedelta(minutes=5))
    url = _poll_url(clinician_client.get("/review/").content.decode())

    assert clinician_client.get(url, HTTP_X_BACKGROUND_POLL="1").status_code == 204


def test_a_garbled_since_announces_nothing_but_still_refreshes(clinician_client) -> None:
    submitted_intake(history=URGENT)

    response = clinician_client.get("/review/updates/?since=yesterday&seen=x")

    assert response.status_code == 200
    assert "New red-flag case" not in response.content.decode()


def test_polling_does_not_keep_an_idle_session_alive(clinician_client) -> None:
    clinician_client.get("/review/")
    session = clinician_client.session
    session["staff_last_activity"] = time.time() - 16 * 60
    session.save()

    response = clinician_client.get(
        "/review/updates/", HTTP_X_BACKGROUND_POLL="1", HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/"
