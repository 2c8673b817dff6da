"""Reads for the self-help loop: the case page's panel (handout link, follow-up, timeline) and
the patient's self-help page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from intake.models import Intake
from intake.triage import disposition_label
from referrals.charts import NumbnessChart, numbness_chart
from referrals.models import FollowUp, PatientLink


@dataclass(frozen=True)
class TimelineEntry:
    label: str  # "Pre-visit", "Follow-up 1"
    at: dt.datetime | None
    numbness: int | None
    outcome: str  # "No change after 6 weeks", "" for the pre-visit form
    disposition: str  # the triage's disposition label
    result: str  # "Follow-up needs review", "Episode closed: better", ""


@dataclass(frozen=True)
class CaseSelfHelp:
    handout_link: PatientLink | None  # the newest handout link sent to the patient
    open_follow_up: FollowUp | None  # scheduled or sent, not yet answered
    timeline: tuple[TimelineEntry, ...]
    chart: NumbnessChart | None  # once there is a follow-up answer to draw
    can_email: bool  # the patient has an e-mail address

    @property
    def shown(self) -> bool:
        return bool(self.handout_link or self.open_follow_up or len(self.timeline) > 1)


def case_self_help(*, intake: Intake) -> CaseSelfHelp:
    """The case page's self-help panel: one query for a case that never had a follow-up or a
    handout link (most of the queue), at most three otherwise."""
    follow_ups = list(
        FollowUp.objects.filter(intake=intake).select_related("triage_record").order_by("id")
    )
    answered = [f for f in follow_ups if f.status == FollowUp.Status.ANSWERED]
    handout_link = None
    if follow_ups or intake.reviewed_at is not None:  # a handout is sent only after a review
        handout_link = (
            PatientLink.objects.filter(intake=intake, kind=PatientLink.Kind.HANDOUT)
            .order_by("-created_at", "-id")
            .first()
        )
    # The pre-visit triage is the current one until a follow-up's answer adds another.
    first_triage = (
        intake.triage_records.order_by("created_at", "id").first()
        if answered
        else intake.current_triage
    )
    entries = [
        TimelineEntry(
            label="Pre-visit",
            at=intake.submitted_at,
            numbness=None,
            outcome="",
            disposition=disposition_label(first_triage.disposition) if first_triage else "",
            result="",
        )
    ]
    for number, follow_up in enumerate(answered, start=1):
        entries.append(
            TimelineEntry(
                label=f"Follow-up {number}",
                at=follow_up.answered_at,
                numbness=follow_up.numbness,
                outcome=f"{follow_up.get_outcome_display()} after {follow_up.weeks_followed} weeks",
                disposition=(
                    disposition_label(follow_up.triage_record.disposition)
                    if follow_up.triage_record
                    else ""
                ),
                result=follow_up.get_result_display(),
            )
        )
    open_follow_up = next(
        (f for f in follow_ups if f.status in (FollowUp.Status.SCHEDULED, FollowUp.Status.SENT)),
        None,
    )
    return CaseSelfHelp(
        handout_link=handout_link,
        open_follow_up=open_follow_up,
        timeline=tuple(entries),
        chart=numbness_chart([(e.label, e.numbness) for e in entries]) if answered else None,
        can_email=bool(intake.patient.email),
    )
