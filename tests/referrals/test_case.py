"""The case page: what a clinician reads before deciding, and what opening it records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.actions import AuditAction
from audit.models import AuditEvent
from audit.services import audit_record
from intake.models import Intake
from tests.factories import PatientFactory

# The same names as tests/referrals/test_review.py imports: the named histories and the one way
# to build a case, shared from the factories module (an import list, not copied logic).
from tests.referrals.factories import (
    INSERTS,
    SELF_HELP,
    URGENT,
    XRAY,
    CaseReviewFactory,
    retriage_to,
    submitted_intake,
)

pytestmark = pytest.mark.django_db


def _case(client, intake: Intake) -> str:
    response = client.get(f"/review/case/{intake.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_patient_header(clinician_client) -> None:
    patient = PatientFactory(first_name="Ada", last_name="Strider", mrn="MRN5150")
    intake = submitted_intake(patient=patient)

    body = _case(clinician_client, intake)

    assert '<h1 class="h3 mb-2">Ada Strider</h1>' in body
    assert "MRN5150" in body
    assert "Awaiting review" in body


def test_it_shows_every_triage_output_with_its_rule_and_the_rules_version(
    clinician_client,
) -> None:
    intake = submitted_intake(history=URGENT)
    record = intake.current_triage

    body = _case(clinician_client, intake)

    assert 'Disposition:</span> <span class="disposition">Urgent</span>' in body
    assert "Possible cauda equina syndrome (URG-1)" in body
    assert "<li>Spine review</li>" in body
    assert "Lumbar radiculopathy" in body
    for reason in record.reasons:
        assert f"<code>{reason['rule']}</code>" in body
    assert f"Rules version {record.rules_version}" in body


def test_it_shows_the_history_by_section_with_abnormal_answers_marked(clinician_client) -> None:
    body = _case(clinician_client, submitted_intake(history=URGENT))

    assert ">Back and legs" in body
    item = body[body.index("<dt>Saddle anaesthesia</dt>") :]
    assert item.startswith(
        '<dt>Saddle anaesthesia</dt>\n            <dd>yes <span class="abnormal-marker">Abnormal</span>'
    )
    assert "Footwear" not in body.split("history-heading")[1].split("foot-map-heading")[0]


def test_it_shows_the_foot_map_with_the_marked_regions(clinician_client) -> None:
    body = _case(clinician_client, submitted_intake(history=URGENT))

    assert 'class="foot-map"' in body
    legend = body[body.index("foot-map__legend") :]
    assert "Sole" in legend or "sole" in legend


def test_it_draws_the_training_load_chart_with_both_thresholds(clinician_client) -> None:
    body = _case(clinician_client, submitted_intake(history=SELF_HELP))

    assert '<svg class="training-load-chart"' in body
    assert body.count('class="tlc-threshold"') == 2
    assert "spike limit 1.3x = 39 km" in body
    assert "spike limit 1.1x = 19.8 km" in body


def test_without_training_figures_it_says_so(clinician_client) -> None:
    body = _case(clinician_client, submitted_intake(history=URGENT))

    assert "No training figures given." in body


def test_opening_a_case_is_recorded_with_who_and_from_where(clinician, clinician_client) -> None:
    intake = submitted_intake()

    clinician_client.get(f"/review/case/{intake.pk}/", REMOTE_ADDR="10.1.2.3")

    event = AuditEvent.objects.get(intake=intake)
    assert event.action == AuditAction.CASE_VIEWED
    assert event.actor == clinician
    assert event.ip_address == "10.1.2.3"


def test_the_audit_trail_is_shown_on_the_case_page(clinician_client) -> None:
    intake = submitted_intake()
    audit_record(actor=None, action=AuditAction.LETTER_DOWNLOADED, intake=intake, detail="X")

    body = _case(clinician_client, intake)

    trail = body[body.index("audit-heading") :]
    assert "Downloaded a letter" in trail
    assert "Viewed the case" in trail


def test_an_intake_that_is_not_submitted_is_not_found(clinician_client) -> None:
    intake = submitted_intake()
    Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.IN_PROGRESS)

    assert clinician_client.get(f"/review/case/{intake.pk}/").status_code == 404
    assert clinician_client.get("/review/case/999999/").status_code == 404


def test_it_says_so_when_the_case_was_retriaged_after_its_review(clinician_client) -> None:
    review = CaseReviewFactory(intake=submitted_intake(history=INSERTS))
    retriage_to(review.intake, XRAY)

    body = _case(clinician_client, review.intake)

    assert "Re-triaged since the review." in body
    assert "reviewed on a triage result of <strong>Inserts / orthoses</strong>" in body
    assert "the current result is\n  <strong>X-ray</strong>" in body


def test_a_retriage_to_the_same_result_is_not_news(clinician_client) -> None:
    review = CaseReviewFactory(intake=submitted_intake(history=XRAY))
    retriage_to(review.intake, XRAY)

    assert "Re-triaged since the review." not in _case(clinician_client, review.intake)


def test_the_referrals_slot_appears_once_the_case_is_reviewed(clinician_client) -> None:
    waiting = submitted_intake()
    reviewed = CaseReviewFactory().intake

    assert 'id="referrals"' not in _case(clinician_client, waiting)
    assert 'id="referrals"' in _case(clinician_client, reviewed)


def test_the_case_page_runs_the_same_number_of_queries_however_long_its_trail(
    clinician_client, django_assert_max_num_queries
) -> None:
    intake = submitted_intake(history=URGENT)
    url = f"/review/case/{intake.pk}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert clinician_client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(80):
        audit_record(actor=None, action=AuditAction.CASE_VIEWED, intake=intake)
    many = queries()

    assert few == many
    # The page's 12, one for django-otp loading the device that verified this session, two for
    # the red-flag panel (the latest alert, the contacts with the patient) and one for the
    # self-help panel's follow-ups (referrals.selectors.selfhelp).
    with django_assert_max_num_queries(16):
        clinician_client.get(url)


MANY_REASONS = {
    "footwear": {
        "fit": "tight",
        "toe_box": "narrow",
        "lacing": "tight",
        "socks": "thick",
        "sole": "flexible",
    },
    "training": {"weekly_km_4_weeks_ago": 20, "weekly_km_now": 40, "forefoot_slapping": True},
    "back": {"saddle_numbness": True, "pain_radiates_below_knee": True},
    "medical": {"conditions": ["diabetes"], "calf_pain_when_walking": True},
}


def test_a_reviewed_case_page_runs_as_many_queries_with_one_reason_or_many(
    clinician, clinician_client
) -> None:
    def queries(intake: Intake) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert clinician_client.get(f"/review/case/{intake.pk}/").status_code == 200
        return len(captured)

    few = CaseReviewFactory(intake=submitted_intake(history=XRAY), reviewed_by=clinician).intake
    many = CaseReviewFactory(
        intake=submitted_intake(history=MANY_REASONS), reviewed_by=clinician
    ).intake

    assert len(few.current_triage.reasons) == 1
    assert len(many.current_triage.reasons) >= 10
    assert queries(few) == queries(many)
