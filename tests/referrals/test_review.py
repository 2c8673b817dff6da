"""Reviewing a case: accept, override with a reason, notes, reopen, and the state the letters
services move."""

from __future__ import annotations

import pytest
from django.utils import timezone

from audit.actions import AuditAction
from audit.models import AuditEvent
from intake.models import Intake
from intake.questions import STEP_SLUGS
from intake.services import intake_submit
from referrals.models import CaseReview
from referrals.services.review import (
    ReviewError,
    TriageChanged,
    case_review_record,
    case_review_reopen,
    case_review_set_state,
)
from tests.referrals.factories import (
    INSERTS,
    URGENT,
    XRAY,
    CaseReviewFactory,
    retriage_to,
    submitted_intake,
)

pytestmark = pytest.mark.django_db


def _post_review(client, intake, **data):
    payload = {"triage_record": intake.current_triage_id, "decision": "accepted"} | data
    return client.post(f"/review/case/{intake.pk}/review/", payload, REMOTE_ADDR="10.0.0.7")


def _post_override(client, intake, disposition: str, actions: list[str], **data):
    return _post_review(
        client, intake, decision="overridden", disposition=disposition, actions=actions, **data
    )


def _record(intake: Intake, actor, **fields) -> CaseReview:
    """Record a review through the service: an accept of the triage as loaded, unless told."""
    defaults = {
        "loaded_triage_id": intake.current_triage_id,
        "decision": "accepted",
        "now": timezone.now(),
    }
    return case_review_record(intake=intake, actor=actor, **(defaults | fields))


def _actions(intake) -> list[str]:
    return [e.action for e in AuditEvent.objects.filter(intake=intake).order_by("at", "id")]


def test_accepting_records_the_triage_as_it_is(clinician, clinician_client) -> None:
    intake = submitted_intake(history=URGENT)

    response = _post_review(clinician_client, intake)

    assert response.status_code == 302
    review = CaseReview.objects.get(intake=intake)
    assert review.decision == CaseReview.Decision.ACCEPTED
    assert review.disposition == "urgent"
    assert review.actions == ["urgent", "spine_review"]
    assert review.triage_record == intake.current_triage
    assert review.reviewed_by == clinician
    assert review.state == CaseReview.State.REVIEWED


def test_accepting_is_audited_with_who_what_and_where(clinician, clinician_client) -> None:
    intake = submitted_intake(history=XRAY)

    _post_review(clinician_client, intake)

    event = AuditEvent.objects.get(intake=intake, action=AuditAction.REVIEW_ACCEPTED)
    assert event.actor == clinician
    assert event.ip_address == "10.0.0.7"
    assert "disposition X-ray" in event.detail


def test_an_accepted_case_leaves_the_awaiting_queue(clinician_client) -> None:
    intake = submitted_intake()

    _post_review(clinician_client, intake)

    assert f'data-intake="{intake.pk}"' not in clinician_client.get("/review/").content.decode()


def test_the_intake_carries_the_review_time_and_state_the_queue_reads(clinician) -> None:
    intake = submitted_intake()
    now = timezone.now()

    review = _record(intake, clinician, now=now)
    intake.refresh_from_db()
    assert (intake.reviewed_at, intake.review_state) == (now, "reviewed")

    case_review_reopen(review=review, actor=clinician)
    intake.refresh_from_db()
    assert (intake.reviewed_at, intake.review_state) == (None, "")


def test_overriding_records_the_clinicians_disposition_actions_and_reason(
    clinician_client,
) -> None:
    intake = submitted_intake(history=INSERTS)

    response = _post_override(
        clinician_client,
        intake,
        "xray",
        ["inserts", "xray"],
        override_reason="Tender navicular on examination.",
    )

    assert response.status_code == 302
    review = CaseReview.objects.get(intake=intake)
    assert review.decision == CaseReview.Decision.OVERRIDDEN
    assert review.disposition == "xray"
    assert review.actions == ["xray", "inserts"]
    assert review.override_reason == "Tender navicular on examination."
    override = AuditEvent.objects.get(intake=intake, action=AuditAction.REVIEW_OVERRIDDEN)
    assert "Tender navicular on examination." in override.detail
    assert "disposition Inserts" in override.detail


def test_an_override_without_a_reason_is_refused_and_nothing_is_lost(clinician_client) -> None:
    intake = submitted_intake(history=INSERTS)

    response = _post_override(clinician_client, intake, "xray", ["xray"], notes="Examined today.")

    assert response.status_code == 400
    body = response.content.decode()
    assert "An override needs a reason" in body
    assert '<option value="xray" selected>' in body
    assert "Examined today.</textarea>" in body
    assert not CaseReview.objects.filter(intake=intake).exists()


def test_the_service_refuses_an_override_without_a_reason_too(clinician) -> None:
    intake = submitted_intake(history=INSERTS)

    with pytest.raises(ReviewError, match="needs a reason"):
        _record(
            intake,
            clinician,
            decision="overridden",
            disposition="xray",
            actions=["xray"],
            override_reason="   ",
        )


@pytest.mark.parametrize(
    ("disposition", "actions", "reason", "error"),
    [
        pytest.param(
            "xray",
            ["inserts"],
            "Needs imaging.",
            "The disposition must be one of the actions",
            id="whose disposition is not among its actions",
        ),
        pytest.param(
            "inserts", ["inserts"], "Agree.", "This is the triage", id="that changes nothing"
        ),
    ],
)
def test_an_override_that_does_not_hold_together_is_refused(
    clinician_client, disposition: str, actions: list[str], reason: str, error: str
) -> None:
    intake = submitted_intake(history=INSERTS)

    response = _post_override(
        clinician_client, intake, disposition, actions, override_reason=reason
    )

    assert response.status_code == 400
    assert error in response.content.decode()


def test_a_reason_with_an_accept_is_queried_not_dropped(clinician_client) -> None:
    intake = submitted_intake(history=INSERTS)

    response = _post_review(clinician_client, intake, override_reason="Imaging needed.")

    assert response.status_code == 400
    body = response.content.decode()
    assert "You wrote an override reason but chose to accept" in body
    assert "Imaging needed.</textarea>" in body


def test_notes_given_with_the_review_are_kept_and_audited(clinician_client) -> None:
    intake = submitted_intake()

    _post_review(clinician_client, intake, notes="Discussed shoe fit.")

    assert CaseReview.objects.get(intake=intake).notes == "Discussed shoe fit."
    # A self-help case: the review then schedules its follow-up (test_selfhelp_follow_up.py).
    assert _actions(intake)[-3:] == [
        AuditAction.REVIEW_ACCEPTED,
        AuditAction.REVIEW_NOTE,
        AuditAction.FOLLOW_UP_SCHEDULED,
    ]


def test_a_case_retriaged_to_another_result_since_it_was_opened_is_not_signed_off(
    clinician_client,
) -> None:
    intake = submitted_intake(history=INSERTS)
    loaded = intake.current_triage_id
    retriage_to(intake, XRAY)

    response = _post_review(clinician_client, intake, triage_record=loaded)

    assert response.status_code == 400
    body = response.content.decode()
    assert "The triage was re-run since you opened this case" in body
    assert "(now X-ray)" in body
    assert f'name="triage_record" value="{intake.current_triage_id}"' in body
    assert not CaseReview.objects.filter(intake=intake).exists()


def test_a_retriage_to_the_same_result_does_not_block_the_review(clinician) -> None:
    intake = submitted_intake(history=XRAY)
    loaded = intake.current_triage_id
    current = retriage_to(intake, XRAY)

    review = _record(intake, clinician, loaded_triage_id=loaded)

    assert review.triage_record == current


def test_the_service_raises_triage_changed_for_a_stale_result(clinician) -> None:
    intake = submitted_intake(history=INSERTS)
    loaded = intake.current_triage_id
    retriage_to(intake, URGENT)

    with pytest.raises(TriageChanged):
        _record(intake, clinician, loaded_triage_id=loaded)


def test_a_case_is_reviewed_once(clinician_client, other_clinician) -> None:
    review = CaseReviewFactory(reviewed_by=other_clinician)

    response = _post_review(clinician_client, review.intake)

    assert response.status_code == 400
    assert "already reviewed by Dr Test" in response.content.decode()
    assert CaseReview.objects.filter(intake=review.intake).count() == 1
    assert CaseReview.objects.get(intake=review.intake).reviewed_by == other_clinician


def test_the_service_names_who_already_reviewed(clinician, other_clinician) -> None:
    review = CaseReviewFactory(reviewed_by=other_clinician)

    with pytest.raises(ReviewError, match="already reviewed by Dr Test"):
        _record(review.intake, clinician)


def test_the_author_updates_the_notes_and_each_version_is_audited(
    clinician, clinician_client
) -> None:
    review = CaseReviewFactory(reviewed_by=clinician, notes="First look.")

    clinician_client.post(f"/review/case/{review.intake_id}/notes/", {"notes": "Second look."})
    clinician_client.post(f"/review/case/{review.intake_id}/notes/", {"notes": "Third look."})

    review.refresh_from_db()
    assert review.notes == "Third look."
    notes = AuditEvent.objects.filter(intake=review.intake, action=AuditAction.REVIEW_NOTE)
    assert sorted(notes.values_list("detail", flat=True)) == ["Second look.", "Third look."]


def test_another_clinician_cannot_change_the_authors_notes(
    clinician, other_clinician_client
) -> None:
    review = CaseReviewFactory(reviewed_by=clinician, notes="Mine.")

    response = other_clinician_client.post(
        f"/review/case/{review.intake_id}/notes/", {"notes": "Theirs."}
    )

    assert response.status_code == 403
    review.refresh_from_db()
    assert review.notes == "Mine."


def test_reopening_returns_the_case_to_the_queue_and_keeps_the_decision_in_the_trail(
    clinician, clinician_client
) -> None:
    review = CaseReviewFactory(
        reviewed_by=clinician,
        intake=submitted_intake(history=INSERTS),
        decision=CaseReview.Decision.OVERRIDDEN,
        disposition="xray",
        actions=["xray"],
        override_reason="Swollen.",
    )

    response = clinician_client.post(f"/review/case/{review.intake_id}/reopen/")

    assert response.status_code == 302
    assert not CaseReview.objects.filter(intake=review.intake).exists()
    event = AuditEvent.objects.get(intake=review.intake, action=AuditAction.REVIEW_REOPENED)
    assert "overridden" in event.detail
    assert "reason: Swollen." in event.detail
    queue = clinician_client.get("/review/").content.decode()
    assert f'data-intake="{review.intake_id}"' in queue


def test_a_review_with_a_signed_referral_cannot_be_reopened(clinician, clinician_client) -> None:
    review = CaseReviewFactory(reviewed_by=clinician, state=CaseReview.State.REFERRAL_SIGNED)

    response = clinician_client.post(f"/review/case/{review.intake_id}/reopen/", follow=True)

    assert "can no longer be reopened" in response.content.decode()
    assert CaseReview.objects.filter(intake=review.intake).exists()


def test_set_state_moves_the_review_and_reports_a_change(clinician) -> None:
    review = CaseReviewFactory(reviewed_by=clinician)

    assert case_review_set_state(intake=review.intake, state="referral_signed") is True
    assert case_review_set_state(intake=review.intake, state="referral_signed") is False
    review.refresh_from_db()
    review.intake.refresh_from_db()
    assert review.state == review.intake.review_state == CaseReview.State.REFERRAL_SIGNED


def test_set_state_leaves_an_unreviewed_case_alone() -> None:
    intake = submitted_intake()

    assert case_review_set_state(intake=intake, state="sent") is False
    assert not CaseReview.objects.filter(intake=intake).exists()
    intake.refresh_from_db()
    assert intake.review_state == ""


def test_set_state_refuses_an_unknown_state(clinician) -> None:
    review = CaseReviewFactory(reviewed_by=clinician)

    with pytest.raises(ValueError, match="Unknown review state"):
        case_review_set_state(intake=review.intake, state="archived")


def test_a_reviewed_history_is_not_reopened_for_the_patient(clinician, front_desk_client) -> None:
    review = CaseReviewFactory(reviewed_by=clinician)
    url = f"/desk/visits/{review.intake_id}/reopen/"

    # Said before anyone types a reason...
    page = front_desk_client.get(url).content.decode()
    assert "Ask the clinician to reopen their review" in page
    assert 'name="reason"' not in page
    # ...and a POST (a page loaded before the review) changes nothing.
    response = front_desk_client.post(url, {"reason": "Wrong foot"})

    assert response.status_code == 409
    assert "already reviewed this history" in response.content.decode()
    intake = Intake.objects.get(pk=review.intake_id)
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.history is not None
    assert not AuditEvent.objects.filter(action=AuditAction.REOPENED).exists()


def test_after_the_review_is_withdrawn_the_corrected_history_comes_back_for_review(
    clinician, clinician_client, front_desk_client
) -> None:
    review = CaseReviewFactory(reviewed_by=clinician, intake=submitted_intake(history=INSERTS))
    intake = review.intake
    clinician_client.post(f"/review/case/{intake.pk}/reopen/")
    response = front_desk_client.post(f"/desk/visits/{intake.pk}/reopen/", {"reason": "Other foot"})
    assert response.status_code == 302

    # The patient goes through every step again and sends the form.
    Intake.objects.filter(pk=intake.pk).update(steps_completed=list(STEP_SLUGS))
    intake.refresh_from_db()
    assert intake_submit(intake=intake, now=timezone.now()) is True

    intake.refresh_from_db()
    assert intake.reviewed_at is None
    assert f'data-intake="{intake.pk}"' in clinician_client.get("/review/").content.decode()
