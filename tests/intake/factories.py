"""Factories and helpers for the intake app's tests (tests/factories.py has the shared ones)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from intake import services
from intake.models import Intake
from intake.questions import STEPS
from tests.factories import IntakeFactory

# A whole form's worth of valid answers, page by page, as a browser posts them.
VALID_POSTS: dict[str, dict[str, object]] = {
    "where": {"side": "left", "regions": ["interspace_3_4"], "sensations": ["burning", "numbness"]},
    "when": {
        "weeks_since_onset": "6",
        "when": "only_running",
        "minutes_into_run": "20",
        "eases_within_minutes_of_stopping": "yes",
        "relieved_by_removing_shoe": "yes",
        "clicking_or_pebble_feeling": "yes",
        "lower_leg_tightness": "no",
        "activities": ["road"],
    },
    "shoes": {
        "fit": "snug",
        "toe_box": "narrow",
        "lacing": "normal",
        "socks": "medium",
        "sole": "medium",
    },
    "feet": {"arch": "normal", "very_flexible_sole": "no"},
    "training": {
        "weekly_km_now": "30",
        "weekly_km_4_weeks_ago": "28,5",
        "longest_run_km_recent": "",
        "longest_run_km_prior_30_days": "",
        "forefoot_slapping": "no",
    },
    "injury": {"recent_injury": "no", "bone_spot": "no"},
    "back": {
        "low_back_pain": "no",
        "pain_radiates_below_knee": "no",
        "sciatica_both_legs": "no",
        "known_disc_problem": "no",
        "saddle_numbness": "no",
        "bladder_or_bowel_change": "no",
        "leg_weakness_or_foot_drop": "no",
        "progressive": "no",
    },
    "health": {"conditions": [], "foot_cold_or_pale": "no", "calf_pain_when_walking": "no"},
    "care": {"tried_anything": "no", "inserts": "none", "injection": "none"},
}
assert list(VALID_POSTS) == [step.slug for step in STEPS]


def post_data(step: str, **changes: object) -> dict[str, object]:
    data = dict(VALID_POSTS[step]) | changes
    return {key: value for key, value in data.items() if value is not None}


def new_link(intake: Intake | None = None, *, now: dt.datetime | None = None, **kwargs):
    """A fresh link (with its token) for an intake, as the desk would hand it over."""
    intake = intake or IntakeFactory()
    return services.invitation_create(
        intake=intake,
        channel=kwargs.pop("channel", "copy"),
        created_by=kwargs.pop("created_by", None),
        now=now or timezone.now(),
        **kwargs,
    )


def fill_all_steps(
    client, *, skip: tuple[str, ...] = (), changes: dict[str, dict[str, object]] | None = None
) -> None:
    """Answer every page through the patient's URLs (the client holds a patient session);
    `changes` replaces some answers of a page: {"back": {"saddle_numbness": "yes"}}."""
    for step in STEPS:
        if step.slug in skip:
            continue
        data = post_data(step.slug, **(changes or {}).get(step.slug, {}))
        response = client.post(f"/form/{step.slug}/", data | {"go": "next"})
        assert response.status_code == 302, (step.slug, response.content.decode()[:2000])


# Yes to saddle numbness: the URG-1 red flag (possible cauda equina syndrome).
RED_FLAG_CHANGES: dict[str, dict[str, object]] = {"back": {"saddle_numbness": "yes"}}


def confirm_birth_date(client, intake: Intake) -> None:
    """Say the patient's date of birth in a browser holding the intake's session."""
    born = intake.patient.date_of_birth
    response = client.post("/form/confirm/", {"date_of_birth": born.isoformat()})
    assert response.status_code == 302, response.content[:300]
    assert response["Location"] == "/form/"


def open_link(client, link) -> None:
    """Open the link in `client` as its patient would: the token, then the date of birth."""
    assert client.get(f"/p/{link.token}/").status_code == 302
    confirm_birth_date(client, link.record.intake)
