"""The patient's form through its URLs: the link, the steps, save and resume, submit once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from audit.actions import AuditAction
from audit.models import AuditEvent
from intake.models import Intake, TriageRecord
from intake.questions import STEPS
from tests.factories import IntakeFactory
from tests.intake.factories import (
    confirm_birth_date,
    fill_all_steps,
    new_link,
    open_link,
    post_data,
)

# Link pages ------------------------------------------------------------------------------------


def test_the_link_trades_its_token_for_a_session_and_drops_it_from_the_url(link) -> None:
    client = Client()
    response = client.get(f"/p/{link.token}/")
    assert response.status_code == 302
    assert response["Location"] == "/form/confirm/"
    assert link.token not in str(dict(client.session))
    confirm_birth_date(client, link.record.intake)
    assert client.get("/form/").status_code == 200


def test_the_link_page_sends_no_referrer_and_is_never_stored(link) -> None:
    response = Client().get(f"/p/{link.token}/")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_the_patients_pages_are_never_stored(patient_client) -> None:
    for url in ("/form/", "/form/where/", "/form/review/"):
        assert "no-store" in patient_client.get(url)["Cache-Control"]


def _invalid_page(response) -> str:
    body = response.content.decode()
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", body)


def test_expired_revoked_unknown_and_malformed_links_get_the_same_page(visit, settings) -> None:
    settings.CLINIC_PHONE = "020 7946 0999"
    expired = new_link(IntakeFactory(), now=timezone.now() - dt.timedelta(days=8))
    revoked = new_link(IntakeFactory())
    new_link(revoked.record.intake)  # a newer link revokes it
    unknown = "A" * 43
    malformed = "not-a-token"
    responses = [
        Client().get(f"/p/{token}/") for token in (expired.token, revoked.token, unknown, malformed)
    ]
    assert {r.status_code for r in responses} == {404}
    pages = {_invalid_page(r) for r in responses}
    assert len(pages) == 1
    page = pages.pop()
    assert "This link does not work" in page
    assert "020 7946 0999" in page
    assert all(r["Referrer-Policy"] == "no-referrer" for r in responses)


def test_token_attempts_are_rate_limited_per_address(link, settings) -> None:
    settings.TOKEN_ATTEMPTS_PER_MINUTE = 3
    client = Client()
    with freeze_time("2026-03-01 10:00:05", tick=False):
        for _ in range(3):
            assert client.get("/p/" + "B" * 43 + "/").status_code == 404
        blocked = client.get(f"/p/{link.token}/")  # even the right token waits now
        other_address = Client(REMOTE_ADDR="10.1.1.1").get(f"/p/{link.token}/")
    assert blocked.status_code == 429
    assert "Please wait a minute" in blocked.content.decode()
    assert other_address.status_code == 302


def test_the_form_without_a_session_shows_the_plain_page(anonymous_client, db) -> None:
    response = anonymous_client.get("/form/where/")
    assert response.status_code == 403
    assert "This link does not work" in response.content.decode()


def test_revoking_the_link_closes_an_open_form(patient_client, visit) -> None:
    new_link(visit)  # the desk hands over a new link: the old session ends
    assert patient_client.get("/form/where/").status_code == 403


def test_a_browser_signed_in_as_staff_is_told_why_the_link_does_not_open(
    front_desk_client, link
) -> None:
    response = front_desk_client.get(f"/p/{link.token}/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "This browser is signed in as clinic staff" in body
    assert 'action="/accounts/logout/"' in body  # offered to sign out
    assert front_desk_client.get("/desk/").status_code == 200  # still signed in
    assert front_desk_client.get("/form/").status_code == 403  # and no patient's session


def test_a_link_refused_to_staff_is_recorded_and_still_works_for_the_patient(
    front_desk_client, front_desk, link
) -> None:
    front_desk_client.get(f"/p/{link.token}/", REMOTE_ADDR="10.1.2.3")
    refused = AuditEvent.objects.get(action=AuditAction.LINK_REFUSED_TO_STAFF)
    assert (refused.actor, refused.ip_address) == (front_desk, "10.1.2.3")
    link.record.refresh_from_db()
    assert link.record.opened_at is None
    open_link(Client(), link)


# Steps ---------------------------------------------------------------------------------------


def test_the_start_page_offers_the_first_step(patient_client) -> None:
    body = patient_client.get("/form/").content.decode()
    assert 'href="/form/where/"' in body
    assert "Start" in body


def test_each_step_is_saved_when_the_patient_moves_on(patient_client, visit) -> None:
    response = patient_client.post("/form/where/", post_data("where") | {"go": "next"})
    assert response["Location"] == "/form/when/"
    visit.refresh_from_db()
    assert visit.answers["symptoms"] == {
        "side": "left",
        "regions": ["interspace_3_4"],
        "sensations": ["numbness", "burning"],
    }
    assert visit.steps_completed == ["where"]


def test_reopening_the_link_continues_where_the_patient_left_off(visit, link) -> None:
    first = Client()
    open_link(first, link)
    first.post("/form/where/", post_data("where") | {"go": "next"})
    later = Client()  # another day, the same link
    open_link(later, link)
    body = later.get("/form/").content.decode()
    assert "Continue where you left off" in body
    assert 'href="/form/when/"' in body
    page = later.get("/form/where/").content.decode()
    assert re.search(r'value="left"[^>]*checked', page)
    assert re.search(r'value="interspace_3_4" id="[^"]+"\s+checked', page)


def test_back_keeps_the_answers_of_the_page_it_leaves(patient_client, visit) -> None:
    response = patient_client.post("/form/when/", {"weeks_since_onset": "4", "go": "back"})
    assert response["Location"] == "/form/where/"
    visit.refresh_from_db()
    assert visit.answers == {"symptoms": {"weeks_since_onset": 4}}
    assert visit.steps_completed == []  # half answered: not complete
    page = patient_client.get("/form/when/").content.decode()
    assert 'value="4"' in page


def test_an_error_is_shown_next_to_its_field_and_nothing_typed_is_lost(
    patient_client, visit
) -> None:
    data = post_data("training", weekly_km_now="lots", weekly_km_4_weeks_ago="1000") | {
        "go": "next"
    }
    response = patient_client.post("/form/training/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_weekly_km_now-error">Please enter a number, like 12 or 12.5.' in body
    assert "Please enter a number from 0 to 500." in body
    assert 'value="lots"' in body
    assert 'value="1000"' in body
    assert re.search(r'value="no"[^>]*checked', body)  # the radio answered stays answered
    visit.refresh_from_db()
    assert visit.answers == {}


def test_a_missing_answer_is_asked_for_in_plain_words(patient_client) -> None:
    body = patient_client.post("/form/where/", {"go": "next"}).content.decode()
    assert "Please choose one answer." in body
    assert "Please mark at least one place on the foot" in body


def test_injury_details_are_asked_only_after_a_recent_injury(patient_client, visit) -> None:
    ignored = {"swelling": "maybe", "could_not_bear_weight_4_steps": "yes"}
    response = patient_client.post("/form/injury/", post_data("injury") | ignored | {"go": "next"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.answers["injury"] == {"recent_injury": False}


def test_injury_details_are_required_after_a_recent_injury(patient_client) -> None:
    body = patient_client.post(
        "/form/injury/", post_data("injury", recent_injury="yes") | {"go": "next"}
    ).content.decode()
    assert 'id="id_swelling-error">Please answer yes or no.' in body
    assert 'id="id_could_not_bear_weight_4_steps-error">Please answer yes or no.' in body


def test_the_sore_spot_is_asked_where_once_the_patient_says_there_is_one(
    patient_client, visit
) -> None:
    data = post_data("injury", bone_spot="yes", bone_tenderness=["navicular"])
    patient_client.post("/form/injury/", data | {"go": "next"})
    visit.refresh_from_db()
    assert visit.answers["injury"]["bone_tenderness"] == ["navicular"]
    page = patient_client.get("/form/injury/").content.decode()
    assert re.search(r'name="bone_spot" value="yes"[^>]*checked', page)


def _save_care(patient_client, visit, **changes: object) -> dict:
    """Posts the care step with these answers and returns the saved answers."""
    patient_client.post("/form/care/", post_data("care", **changes) | {"go": "next"})
    visit.refresh_from_db()
    return visit.answers


def test_not_yet_tried_stores_no_self_help_and_ignores_weeks_typed_there(
    patient_client, visit
) -> None:
    answers = _save_care(patient_client, visit, tried_anything="no", weeks="8", outcome="better")
    assert "self_help" not in answers


def test_weeks_and_outcome_are_kept_when_the_patient_tried_something_not_listed(
    patient_client, visit
) -> None:
    answers = _save_care(
        patient_client, visit, tried_anything="yes", weeks="8", outcome="no_change"
    )
    assert answers["self_help"] == {"weeks": 8, "outcome": "no_change"}
    page = patient_client.get("/form/care/").content.decode()
    assert re.search(r'name="tried_anything" value="yes"[^>]*checked', page)


def test_items_weeks_and_outcome_are_kept_when_the_patient_tried_something(
    patient_client, visit
) -> None:
    answers = _save_care(
        patient_client,
        visit,
        tried_anything="yes",
        tried=["looser_lacing"],
        weeks="8",
        outcome="no_change",
    )
    assert answers["self_help"] == {"tried": ["looser_lacing"], "weeks": 8, "outcome": "no_change"}


def test_the_outcome_is_required_once_the_patient_says_they_tried_something(
    patient_client, visit
) -> None:
    data = post_data("care", tried_anything="yes")
    response = patient_client.post("/form/care/", data | {"go": "next"})
    assert "Please choose one answer." in response.content.decode()
    visit.refresh_from_db()
    assert "self_help" not in visit.answers


def test_a_finished_care_page_without_self_help_reads_back_as_not_yet(
    patient_client, visit
) -> None:
    _save_care(patient_client, visit)
    page = patient_client.get("/form/care/").content.decode()
    assert re.search(r'name="tried_anything" value="no"[^>]*checked', page)


def test_patient_pages_mark_javascript_in_the_head_so_follow_ups_hide_before_first_paint(
    patient_client,
) -> None:
    body = patient_client.get("/form/care/").content.decode()
    head = body.split("</head>")[0]
    assert "js/js_class.js" in head
    assert 'class="question question--integer question--conditional' in body


def test_follow_ups_carry_a_hint_for_browsers_without_javascript(patient_client) -> None:
    body = patient_client.get("/form/injury/").content.decode()
    assert 'data-show-if="recent_injury" data-show-if-values="yes"' in body
    assert "Only if you answered “Yes” above." in body


def test_an_unknown_step_goes_back_to_the_start(patient_client) -> None:
    assert patient_client.get("/form/nonsense/")["Location"] == "/form/"


def test_the_progress_indicator_counts_the_steps(patient_client) -> None:
    body = patient_client.get("/form/shoes/").content.decode()
    assert f"Step 3 of {len(STEPS) + 1}" in body
    assert f'<progress class="patient-progress__bar" max="{len(STEPS) + 1}" value="3"' in body


# Review and submit -------------------------------------------------------------------------------


def test_the_review_lists_the_answers_in_plain_words(patient_client) -> None:
    fill_all_steps(patient_client)
    body = patient_client.get("/form/review/").content.decode()
    assert "Between the 3rd and 4th toes" in body  # the foot map's legend
    assert "Narrow: my toes are squeezed" in body
    assert "interspace_3_4</" not in body
    assert "narrow</" not in body
    assert "Send my answers to the clinic" in body


def test_the_review_points_at_unfinished_pages_and_offers_no_submit(patient_client) -> None:
    fill_all_steps(patient_client, skip=("back",))
    body = patient_client.get("/form/review/").content.decode()
    assert 'href="/form/back/">Your back and legs' in body
    assert "Send my answers to the clinic" not in body


def test_submitting_stores_the_history_and_shows_a_confirmation_without_a_verdict(
    patient_client, visit
) -> None:
    fill_all_steps(patient_client)
    response = patient_client.post("/form/submit/")
    assert response["Location"] == "/form/done/"
    visit.refresh_from_db()
    assert visit.status == Intake.Status.SUBMITTED
    assert visit.history["symptoms"]["regions"] == ["interspace_3_4"]
    assert visit.current_triage.disposition == "inserts"
    body = patient_client.get("/form/done/").content.decode()
    assert "Your answers have reached the clinic" in body
    for verdict in ("inserts", "neuroma", "referral", "self-help", "X-ray", "urgent"):
        assert verdict.lower() not in body.lower()


def test_submit_twice_from_two_tabs_stores_one_history(patient_client, visit) -> None:
    fill_all_steps(patient_client)
    assert patient_client.post("/form/submit/")["Location"] == "/form/done/"
    assert patient_client.post("/form/submit/")["Location"] == "/form/done/"
    assert TriageRecord.objects.filter(intake=visit).count() == 1


def test_a_submitted_form_cannot_be_changed(patient_client, visit) -> None:
    fill_all_steps(patient_client)
    patient_client.post("/form/submit/")
    response = patient_client.post(
        "/form/where/", post_data("where", side="right") | {"go": "next"}
    )
    assert response["Location"] == "/form/done/"
    visit.refresh_from_db()
    assert visit.history["symptoms"]["side"] == "left"


def test_submitting_an_unfinished_form_goes_back_to_the_review(patient_client, visit) -> None:
    patient_client.post("/form/where/", post_data("where") | {"go": "next"})
    assert patient_client.post("/form/submit/")["Location"] == "/form/review/"
    visit.refresh_from_db()
    assert visit.status == Intake.Status.IN_PROGRESS


def test_the_patient_reaches_only_the_intake_of_their_own_session(patient_client, visit) -> None:
    other = IntakeFactory()
    patient_client.post(
        "/form/where/", post_data("where") | {"go": "next", "intake": other.pk, "pk": other.pk}
    )
    patient_client.get(f"/form/where/?intake={other.pk}")
    other.refresh_from_db()
    visit.refresh_from_db()
    assert other.answers == {}
    assert visit.answers


@pytest.mark.parametrize("url", ["/form/review/", "/form/done/", "/form/"])
def test_the_pages_never_show_another_patients_name(patient_client, visit, url) -> None:
    other = IntakeFactory(patient__last_name="Zebedee")
    new_link(other)
    assert "Zebedee" not in patient_client.get(url, follow=True).content.decode()


def test_a_text_box_is_tied_to_its_help_and_its_error(patient_client) -> None:
    body = patient_client.post(
        "/form/when/", post_data("when", weeks_since_onset="soon") | {"go": "next"}
    ).content.decode()
    box = re.search(r'<input[^>]*name="weeks_since_onset"[^>]*>', body).group(0)
    assert 'aria-describedby="id_weeks_since_onset-help id_weeks_since_onset-error"' in box
    assert 'aria-invalid="true"' in box
    assert 'value="soon"' in box


def test_im_not_sure_where_completes_the_map_and_stores_no_regions(patient_client, visit) -> None:
    response = patient_client.post(
        "/form/where/", post_data("where", regions=["not_sure"]) | {"go": "next"}
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert "regions" not in visit.answers["symptoms"]
    assert 'value="not_sure" id="id_regions-not_sure" checked' in (
        patient_client.get("/form/where/").content.decode()
    )


def test_im_not_sure_where_with_marked_places_is_refused(patient_client) -> None:
    response = patient_client.post(
        "/form/where/", post_data("where", regions=["heel", "not_sure"]) | {"go": "next"}
    )

    assert response.status_code == 200
    assert "either mark places on the foot or tick" in response.content.decode()
