"""Reads for the front desk and the patient's pages. The desk sees states, never answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property

from audit.actions import AuditAction
from audit.models import AuditEvent
from intake.models import Intake, Invitation, Patient
from intake.questions import STEPS

# The states a visit's form can be in, as the desk's filter offers them (DeskState.code).
DESK_STATES: dict[str, str] = {
    "not_sent": "Not sent",
    "sent": "Sent",
    "opened": "Opened",
    "in_progress": "In progress",
    "submitted": "Submitted",
    "expired": "Link expired",
    "revoked": "Link revoked",
}
DESK_PAGE_SIZE = 25


@dataclass(frozen=True)
class DeskState:
    code: str  # not_sent | sent | opened | in_progress | submitted | expired | revoked
    label: str
    detail: str = ""  # "3 of 9 steps" while in progress

    @property
    def badge(self) -> str:
        """The Bootstrap colour of the state's badge (the label always says it in words)."""
        return {
            "not_sent": "secondary",
            "sent": "info",
            "opened": "primary",
            "in_progress": "warning",
            "submitted": "success",
            "expired": "dark",
            "revoked": "danger",
        }[self.code]


def _progress(intake: Intake) -> str:
    return f"{len(intake.steps_completed)} of {len(STEPS)} steps"


def intake_desk_state(intake: Intake, latest: Invitation | None, *, now: dt.datetime) -> DeskState:
    """Where the intake stands, for the desk. A submitted history wins; otherwise the newest
    link decides: revoked, expired, not yet handed over, or how far the patient got. An
    unsubmitted form whose reminder went says so too."""
    state = _link_state(intake, latest, now=now)
    if intake.status != Intake.Status.SUBMITTED and intake.reminder_queued_at is not None:
        reminded = f"reminded {intake.reminder_queued_at:%d/%m}"
        return DeskState(state.code, state.label, ", ".join(filter(None, (state.detail, reminded))))
    return state


def _link_state(intake: Intake, latest: Invitation | None, *, now: dt.datetime) -> DeskState:
    if intake.status == Intake.Status.SUBMITTED:
        return DeskState("submitted", "Submitted")
    progress = _progress(intake) if intake.status == Intake.Status.IN_PROGRESS else ""
    if latest is None:
        return DeskState("not_sent", "Not sent", progress)
    if latest.revoked_at is not None:
        return DeskState("revoked", "Link revoked", progress)
    if latest.expires_at <= now:
        return DeskState("expired", "Link expired", progress)
    if intake.status == Intake.Status.IN_PROGRESS:
        return DeskState("in_progress", "In progress", progress)
    if intake.status == Intake.Status.OPENED or latest.opened_at is not None:
        return DeskState("opened", "Opened")
    if latest.sent_at is None:
        return DeskState("not_sent", "Not sent")
    return DeskState("sent", f"Sent ({latest.get_sent_via_display().lower()})")


@dataclass(frozen=True)
class DeskVisit:
    intake: Intake
    patient: Patient
    state: DeskState
    link: Invitation | None
    follow_up: str = ""  # the self-help follow-up form's state: "sent 12/04", "answered 20/04"


# The follow-up form's states the desk sees, by the audit action that marks each. The desk reads
# them from the trail (the floor below; intake never imports referrals, whose services write
# these rows), and only the action and its date: never the rows' details (the answers, triage).
FOLLOW_UP_FORM_STATES: dict[str, str] = {
    AuditAction.FOLLOW_UP_LINK_SENT: "sent",
    AuditAction.FOLLOW_UP_REMINDED: "reminded",
    AuditAction.FOLLOW_UP_ANSWERED: "answered",
}


def with_follow_up_states(visits: Sequence[DeskVisit]) -> list[DeskVisit]:
    """The visits with their latest follow-up form's state, in one query for all of them."""
    events = (
        AuditEvent.objects.filter(
            intake_id__in=[visit.intake.pk for visit in visits],
            action__in=FOLLOW_UP_FORM_STATES.keys(),
        )
        .order_by("at", "id")
        .values_list("intake_id", "action", "at")
    )
    latest = {
        intake_id: f"{FOLLOW_UP_FORM_STATES[action]} {timezone.localtime(at):%d/%m}"
        for intake_id, action, at in events
    }
    return [replace(visit, follow_up=latest.get(visit.intake.pk, "")) for visit in visits]


def _with_latest_link(queryset: QuerySet[Intake]) -> QuerySet[Intake]:
    return queryset.select_related("patient").prefetch_related(
        Prefetch(
            "invitations",
            queryset=Invitation.objects.order_by("-created_at", "-id"),
            to_attr="links_newest_first",
        )
    )


def _desk_visit(intake: Intake, *, now: dt.datetime) -> DeskVisit:
    links = getattr(intake, "links_newest_first", None)
    if links is None:
        links = list(intake.invitations.order_by("-created_at", "-id")[:1])
    latest = links[0] if links else None
    return DeskVisit(intake, intake.patient, intake_desk_state(intake, latest, now=now), latest)


def _patient_filter(query: str) -> Q:
    """Name words, a clinic number, or a date of birth (2026-05-17, 17/05/2026 or 17.05.2026)."""
    query = query.strip()
    born = _parse_date(query)
    if born is not None:
        return Q(date_of_birth=born)
    match = Q(mrn__iexact=query.replace(" ", ""))
    words = Q()
    for word in query.split():
        words &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return match | words


def _parse_date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


# Up to this many matching patients, the desk's patient search sorts what it found (patient_search).
PATIENT_SORT_ROWS = 20_000


def desk_visits(
    *, today: dt.date, now: dt.datetime, query: str = "", state: str = "", limit: int = 5000
) -> Sequence[DeskVisit]:
    """Today's and upcoming visits, soonest first, optionally for patients matching `query` and
    with the form in `state` (a DESK_STATES code); the caller pages the result.

    Without a state, DeskVisits: the database pages them. A form's state comes from its newest
    link as well as the intake (`intake_desk_state`), so a state is filtered here, over the first
    `limit` upcoming visits (a clinic's weeks ahead).
    """
    queryset = Intake.objects.filter(visit_date__gte=today)
    if query.strip():
        queryset = queryset.filter(patient__in=Patient.objects.filter(_patient_filter(query)))
    queryset = _with_latest_link(queryset).order_by(
        "visit_date", "patient__last_name", "patient__first_name", "pk"
    )
    if not state:
        return DeskVisits(queryset, now=now)
    visits = [_desk_visit(intake, now=now) for intake in queryset[:limit]]
    return [visit for visit in visits if visit.state.code == state]


class DeskVisits(Sequence[DeskVisit]):
    """Upcoming visits paged by the database: the desk's Paginator counts them with one COUNT
    and builds the DeskVisits of the page it shows, not of every upcoming visit (building 5,000
    of them, each with its newest link, took 0.8 s at 1,000,000 intakes). With a state filter
    the state is worked out in Python, so desk_visits builds them all instead."""

    def __init__(self, queryset: QuerySet[Intake], *, now: dt.datetime) -> None:
        self.queryset = queryset
        self.now = now

    @cached_property
    def _count(self) -> int:
        return self.queryset.count()

    def count(self) -> int:  # what Paginator asks
        return self._count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[DeskVisit]:
        return (_desk_visit(intake, now=self.now) for intake in self.queryset)

    def __getitem__(self, index):  # noqa: ANN001, ANN204 - an int or a slice, as a list takes
        if isinstance(index, slice):
            return [_desk_visit(intake, now=self.now) for intake in self.queryset[index]]
        return _desk_visit(self.queryset[index], now=self.now)


def patient_search(*, query: str, limit: int = 50) -> list[Patient]:
    """The first `limit` patients matching `query`, by last name.

    On PostgreSQL, when at most PATIENT_SORT_ROWS match, they are found first (the trigram
    indexes of intake 0009) and then sorted: left to itself the planner walks the last-name index
    from "A" and checks each patient, 283,000 of them before the first "...mars..." at 1,000,000
    intakes (0.5 s; found then sorted, 30 ms). The inner query is fenced with OFFSET 0 so that it
    is not folded back into that walk. Past PATIENT_SORT_ROWS, or for a word of one or two
    letters (which no trigram serves), the walk finds its patients at once.
    """
    if not query.strip():
        return []
    matching = Patient.objects.filter(_patient_filter(query)).order_by()
    # Trigrams serve words of three characters or more; a shorter word is found by the walk.
    indexed = all(len(word) >= 3 for word in query.split())
    if (
        connection.vendor == "postgresql"
        and indexed
        and matching[: PATIENT_SORT_ROWS + 1].count() <= PATIENT_SORT_ROWS
    ):
        sql, params = matching.query.sql_with_params()
        return list(
            Patient.objects.raw(
                f"SELECT * FROM ({sql} OFFSET 0) AS found "  # noqa: S608 - Django's own SQL
                "ORDER BY last_name LIMIT %s",
                (*params, limit),
            )
        )
    return list(matching.order_by("last_name")[:limit])


def patient_visits(*, patient: Patient, now: dt.datetime) -> list[DeskVisit]:
    """All of a patient's visits, newest first, with their states."""
    queryset = _with_latest_link(Intake.objects.filter(patient=patient)).order_by(
        "-visit_date", "-pk"
    )
    return with_follow_up_states([_desk_visit(intake, now=now) for intake in queryset])


def intake_with_state(*, intake: Intake, now: dt.datetime) -> DeskVisit:
    return _desk_visit(intake, now=now)
