"""Reads for the clinician's review dashboard: the queue, one case, its audit trail.

Every function here runs a fixed number of SQL queries whatever the number of rows, reasons or
audit events (tests/referrals/test_queue.py and test_case.py hold the bound).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property

from audit.models import AuditEvent
from intake.models import Intake, Patient, TriageRecord
from intake.triage import (
    CONSIDER_LABELS,
    DISPOSITION_BY_CODE,
    RED_FLAG_LABELS,
    URGENT,
    URGENT_PRIORITY,
    disposition_label,
    stored_clinician_text,
)
from referrals.charts import TrainingLoadChart, training_load_chart
from referrals.models import CaseReview, FollowUp
from referrals.selectors.urgent import unattended_red_flag
from referrals.summary import Section, history_summary

QUEUE_PAGE_SIZE = 25
CASE_AUDIT_LIMIT = 50
SEARCH_WORDS = 3  # more words than this narrow nothing a clinician needs
NARROW_SEARCH_PATIENTS = 2000  # up to this many matching patients, search by their ids (_search)
# The queue counts at most this many cases (400 pages): beyond it the page says "10,000+" and asks
# for narrower filters. See CappedPaginator.
QUEUE_COUNT_CAP = 10_000
# A search counts at most this many (40 pages): counting a common name's cases means looking up
# each matching patient's intakes (a few thousand probes for "Mars" at 1,000,000 intakes), and
# nobody reads 40 pages of search results; past it the page asks for more of the name.
SEARCH_COUNT_CAP = 1_000
# A disposition's cases in a visit window are found first and then sorted (_window_sorted) when
# there are at most this many (a top-25 sort of them takes a few milliseconds).
WINDOW_SORT_ROWS = 50_000


AWAITING = "awaiting"
FOLLOW_UP_REVIEW = "follow_up"  # awaiting review again after the patient's follow-up answer
ALL_STATES = "all"
STATE_LABELS: dict[str, str] = {
    AWAITING: "Awaiting review",
    FOLLOW_UP_REVIEW: "Follow-up: needs review",
} | {choice.value: choice.label for choice in CaseReview.State}


def _meaning(code: str) -> str:
    disposition = DISPOSITION_BY_CODE.get(code)
    return disposition.meaning if disposition else ""


@dataclass(frozen=True, slots=True)
class RedFlag:
    rule: str
    label: str


def _red_flags(ids: Sequence[str]) -> tuple[RedFlag, ...]:
    return tuple(RedFlag(rule, RED_FLAG_LABELS.get(rule, rule)) for rule in ids)


def age_on(date_of_birth: dt.date, today: dt.date) -> int:
    """Whole years, as a birthday counts them."""
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - before_birthday


# --- the queue -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What QueueFilterForm accepted; empty values filter nothing."""

    q: str = ""
    disposition: str = ""
    red_flag: str = ""  # "yes", "no" or ""
    state: str = AWAITING  # AWAITING, ALL_STATES or a CaseReview.State value
    visit_from: dt.date | None = None
    visit_to: dt.date | None = None
    page: int = 1


@dataclass(frozen=True, slots=True)
class QueueRow:
    intake_id: int
    patient_name: str
    mrn: str
    age: int
    visit_date: dt.date
    disposition: str
    disposition_label: str
    red_flags: tuple[RedFlag, ...]
    submitted_at: dt.datetime | None
    state: str
    state_label: str
    # No one has acknowledged the red-flag alert or recorded a contact with the patient.
    unattended: bool = False

    @property
    def urgent(self) -> bool:
        return bool(self.red_flags) or self.disposition == URGENT

    @property
    def urgent_unattended(self) -> bool:
        return self.urgent and self.unattended


@dataclass(frozen=True, slots=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    page: Page
    fingerprint: str  # changes when what this page shows changes (the poll's "anything new?")


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` (QUEUE_COUNT_CAP, or SEARCH_COUNT_CAP).

    COUNT(*) over every matching case grows with the table (at 1,000,000 intakes the all-states
    queue counts 970,000 rows on each page and each poll), and nobody pages through more than
    400 pages: beyond the cap the page shows "10,000+" and the filters narrow it. Counting a
    LIMIT-ed subquery reads at most QUEUE_COUNT_CAP + 1 index entries, whatever the table's size.
    Paging stays by number (OFFSET over an index-only walk of ids, bounded by the same cap), so
    links, the poll's fingerprint and the tests keep their meaning; keyset paging would bound a
    deep page's cost too, but it is already bounded here and would lose "page n of m".
    """

    def __init__(self, object_list, per_page: int, *, cap: int) -> None:  # noqa: ANN001 - ids
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, WindowSorted):
            counted = len(self.object_list)
        else:
            counted = self.object_list.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False


class WindowSorted:
    """The ids of a few matching cases, in queue order, sorted after PostgreSQL found them all.

    Walking the queue's index in order and keeping the cases in a visit window reads every case
    submitted before the window first (recent visits were submitted last): 150,000 index
    entries for "X-ray, the last 90 days" at 1,000,000 intakes. Found by visit date instead
    (review_queue_by_visit) and sorted, the same page costs a top-25 sort of its 23,000 cases.
    The inner query is fenced with OFFSET 0 so that PostgreSQL does not fold it back into the
    ordered walk. `total` is the exact number of cases (counted by _window_sorted).
    """

    def __init__(self, ids: QuerySet[Intake], total: int) -> None:
        self.ids = ids
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, page: slice) -> list[int]:
        sql, params = (
            self.ids.order_by()
            .values_list("id", "triage_priority", "submitted_at")
            .query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM ({sql} OFFSET 0) AS found "  # noqa: S608 - Django's own SQL
                "ORDER BY triage_priority ASC NULLS LAST, submitted_at ASC, id ASC "
                "LIMIT %s OFFSET %s",
                (*params, page.stop - page.start, page.start),
            )
            return [row[0] for row in cursor.fetchall()]


def _window_sorted(ids: QuerySet[Intake], filters: QueueFilters) -> QuerySet[Intake] | WindowSorted:
    """The page source of the queue: the queryset itself (an ordered walk of the queue's index),
    or, for one disposition's cases in a visit window on PostgreSQL, WindowSorted when they are
    at most WINDOW_SORT_ROWS (counting them reads review_queue_by_visit alone)."""
    windowed = filters.visit_from or filters.visit_to
    one_priority = filters.disposition or filters.red_flag == "yes"
    if connection.vendor != "postgresql" or not (windowed and one_priority):
        return ids
    total = ids.order_by()[: WINDOW_SORT_ROWS + 1].count()
    return ids if total > WINDOW_SORT_ROWS else WindowSorted(ids, total)


def _of_patients(ids: list[int]) -> Q | RawSQL:
    """Intakes of these patients. On PostgreSQL `patient_id = ANY(array)`: one parameter instead
    of thousands of literals, and an array PostgreSQL can size and hash. Its planner then weighs
    looking up each patient's intakes (a few patients) against walking the queue in order and
    checking each case against the hashed array (thousands: 5,800 cases of 4,700 patients at
    400,000 intakes took 35 ms looked up one patient at a time, and `IN (SELECT unnest(...))`,
    which it guesses at 10 rows, always did that)."""
    if connection.vendor != "postgresql":
        return Q(patient_id__in=ids)
    return RawSQL(  # noqa: S611 - the ids are a parameter; the table name is the model's
        f'"{Intake._meta.db_table}"."patient_id" = ANY(%s::bigint[])',
        (ids,),
        output_field=BooleanField(),
    )


def _search(queryset: QuerySet[Intake], text: str) -> QuerySet[Intake]:
    """Each word must start the patient's first name, last name or MRN (case-insensitive).

    Prefix matches only: they use the UPPER(...) pattern indexes that
    referrals/migrations/0004_review_queue_and_patient_search_indexes adds on PostgreSQL; SQLite
    runs the same queries without them.

    The matching patients are looked up first. When they are few (the usual search: a name, an
    MRN), their intakes are fetched by patient and sorted, a few milliseconds. Handing PostgreSQL
    the join instead lets it walk the whole queue in order looking for them, which at 100,000
    intakes took 400 ms for an MRN prefix. When they are many (a one-letter search), that walk is
    the fast plan, and the join is kept.
    """
    matches = Q()
    for word in text.split()[:SEARCH_WORDS]:
        matches &= (
            Q(last_name__istartswith=word)
            | Q(first_name__istartswith=word)
            | Q(mrn__istartswith=word)
        )
    # Unordered: Patient's default ordering would sort every match before the LIMIT.
    patients = Patient.objects.filter(matches).order_by()
    few = list(patients.values_list("id", flat=True)[: NARROW_SEARCH_PATIENTS + 1])
    if len(few) <= NARROW_SEARCH_PATIENTS:
        return queryset.filter(_of_patients(few))
    return queryset.filter(patient__in=patients)


def queue_queryset(filters: QueueFilters) -> QuerySet[Intake]:
    """Submitted intakes matching the filters: red flags first, then disposition priority, then
    the longest-waiting first. (Red flags alone make the disposition urgent, priority 0, so one
    sort key on the stored priority orders both; the indexes on (triage_priority, submitted_at)
    serve it.)"""
    queryset = Intake.objects.filter(status=Intake.Status.SUBMITTED)
    if filters.state == AWAITING:
        # Intake.reviewed_at mirrors the review's existence (referrals.services.review keeps it),
        # so this reads the partial index review_queue_awaiting, not an anti-join.
        queryset = queryset.filter(reviewed_at__isnull=True)
    elif filters.state != ALL_STATES:
        # The review's state, as Intake.review_state copies it: review_queue_by_state's range.
        queryset = queryset.filter(review_state=filters.state)
    if filters.disposition:
        # The priority stands for the disposition (one each, stored together by
        # intake_triage_record) and, unlike it, is in the queue's indexes.
        queryset = queryset.filter(
            triage_priority=DISPOSITION_BY_CODE[filters.disposition].priority
        )
    if filters.red_flag == "yes":
        queryset = queryset.filter(triage_priority=URGENT_PRIORITY)
    elif filters.red_flag == "no":
        queryset = queryset.exclude(triage_priority=URGENT_PRIORITY)
    if filters.visit_from:
        queryset = queryset.filter(visit_date__gte=filters.visit_from)
    if filters.visit_to:
        queryset = queryset.filter(visit_date__lte=filters.visit_to)
    if filters.q:
        queryset = _search(queryset, filters.q)
    return queryset.order_by(F("triage_priority").asc(nulls_last=True), "submitted_at", "id")


def _queue_rows(
    intakes: Sequence[Intake], today: dt.date, *, awaiting: bool
) -> tuple[QueueRow, ...]:
    rows = []
    for intake in intakes:
        patient = intake.patient
        triage = intake.current_triage
        state = (intake.review_state if not awaiting else "") or AWAITING
        if state == AWAITING and getattr(intake, "follow_up_review", False):
            state = FOLLOW_UP_REVIEW
        disposition = intake.triage_disposition or (triage.disposition if triage else "")
        rows.append(
            QueueRow(
                intake_id=intake.pk,
                patient_name=patient.full_name,
                mrn=patient.mrn,
                age=age_on(patient.date_of_birth, today),
                visit_date=intake.visit_date,
                disposition=disposition,
                disposition_label=disposition_label(disposition) if disposition else "Not triaged",
                red_flags=_red_flags(triage.red_flags if triage else ()),
                submitted_at=intake.submitted_at,
                state=state,
                state_label=STATE_LABELS.get(state, state),
                unattended=bool(getattr(intake, "unattended", False)),
            )
        )
    return tuple(rows)


def _fingerprint(page: Page, rows: Sequence[QueueRow]) -> str:
    text = f"{page.paginator.count}|{page.number}|" + ",".join(
        f"{row.intake_id}:{row.state}:{row.disposition}:{row.urgent_unattended}" for row in rows
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def queue_for_clinician(*, filters: QueueFilters, today: dt.date) -> QueuePage:
    """One page of the review queue in three queries: the count, the page's ids in queue order,
    and those rows with their patient and triage joined in (and, for the 25 rows only, whether a
    red flag still waits for someone to acknowledge it or call the patient)."""
    fields = [
        "id",
        "visit_date",
        "submitted_at",
        "triage_disposition",
        "triage_priority",
        "patient__first_name",
        "patient__last_name",
        "patient__mrn",
        "patient__date_of_birth",
        "current_triage__disposition",
        "current_triage__red_flags",
    ]
    if filters.state != AWAITING:  # awaiting review means there is no review state to show
        fields.append("review_state")
    # Page through ids alone (an index-only walk, even at page 500), then load the 25 rows with
    # their joins: OFFSET over the joined rows would read every skipped row's patient and triage.
    matching = queue_queryset(filters).values_list("id", flat=True)
    cap = SEARCH_COUNT_CAP if filters.q else QUEUE_COUNT_CAP
    page = CappedPaginator(_window_sorted(matching, filters), QUEUE_PAGE_SIZE, cap=cap).get_page(
        filters.page
    )
    ids = list(page.object_list)
    # A case back from a follow-up is marked as such (in the same query).
    follow_up_back = FollowUp.objects.filter(
        intake=OuterRef("pk"), result__in=(FollowUp.Result.NEEDS_REVIEW, FollowUp.Result.RED_FLAG)
    )
    loaded = (
        Intake.objects.filter(pk__in=ids)
        .select_related("patient", "current_triage")
        .only(*fields)
        .annotate(unattended=unattended_red_flag(), follow_up_review=Exists(follow_up_back))
    )
    by_id = {intake.pk: intake for intake in loaded}
    intakes = [by_id[pk] for pk in ids if pk in by_id]  # a row gone meanwhile is left out
    rows = _queue_rows(intakes, today, awaiting=filters.state == AWAITING)
    return QueuePage(rows=rows, page=page, fingerprint=_fingerprint(page, rows))


@dataclass(frozen=True, slots=True)
class Arrival:
    intake_id: int
    patient_name: str
    red_flags: tuple[RedFlag, ...]


def urgent_arrivals(*, since: dt.datetime, until: dt.datetime, limit: int = 5) -> list[Arrival]:
    """Red-flag intakes submitted in (since, until] and still awaiting review, whatever the
    clinician's filters: an urgent case is announced even when the page shows something else."""
    intakes = (
        Intake.objects.filter(
            status=Intake.Status.SUBMITTED,
            triage_priority=URGENT_PRIORITY,
            submitted_at__gt=since,
            submitted_at__lte=until,
            reviewed_at__isnull=True,
        )
        .select_related("patient", "current_triage")
        .only(
            "id",
            "submitted_at",
            "patient__first_name",
            "patient__last_name",
            "current_triage__red_flags",
        )
        .order_by("submitted_at", "id")[:limit]
    )
    return [
        Arrival(
            intake_id=intake.pk,
            patient_name=intake.patient.full_name,
            red_flags=_red_flags(intake.current_triage.red_flags if intake.current_triage else ()),
        )
        for intake in intakes
    ]


# --- one case ------------------------------------------------------------------------------------


def case_for_clinician(*, intake_id: int) -> Intake | None:
    """A submitted intake with everything its page shows, in one query; None when there is no
    such intake or it is not submitted (a reopened intake is the patient's again)."""
    return (
        Intake.objects.filter(pk=intake_id, status=Intake.Status.SUBMITTED)
        .select_related(
            "patient",
            "current_triage",
            "review",
            "review__reviewed_by",
            "review__triage_record",
        )
        .first()
    )


@dataclass(frozen=True, slots=True)
class ReasonView:
    rule: str
    action: str
    action_label: str
    text: str  # the clinician's voice (the case page is read by clinicians)


@dataclass(frozen=True, slots=True)
class TriageView:
    record_id: int
    rules_version: str
    disposition: str
    disposition_label: str
    disposition_meaning: str
    actions: tuple[tuple[str, str], ...]  # (code, label), priority order
    red_flags: tuple[RedFlag, ...]
    consider: tuple[str, ...]  # labels
    reasons: tuple[ReasonView, ...]
    created_at: dt.datetime


def triage_view(record: TriageRecord) -> TriageView:
    return TriageView(
        record_id=record.pk,
        rules_version=record.rules_version,
        disposition=record.disposition,
        disposition_label=disposition_label(record.disposition),
        disposition_meaning=_meaning(record.disposition),
        actions=tuple((code, disposition_label(code)) for code in record.actions),
        red_flags=_red_flags(record.red_flags),
        consider=tuple(CONSIDER_LABELS.get(code, code) for code in record.consider),
        reasons=tuple(
            ReasonView(
                rule=reason.get("rule", ""),
                action=reason.get("action", ""),
                action_label=disposition_label(reason.get("action", "")),
                text=stored_clinician_text(reason),
            )
            for reason in record.reasons
        ),
        created_at=record.created_at,
    )


def triage_results_differ(a: TriageRecord, b: TriageRecord) -> bool:
    """Whether two triage runs would send the case somewhere different (same rules, same
    answers give the same result; a re-run that changes nothing is not news)."""

    def key(record: TriageRecord) -> tuple[Any, ...]:
        return (
            record.disposition,
            sorted(record.actions),
            sorted(record.red_flags),
            sorted(record.consider),
            sorted(record.advice),
        )

    return a.pk != b.pk and key(a) != key(b)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: dt.datetime
    actor: str
    action: str
    label: str
    detail: str
    ip_address: str


@dataclass(frozen=True, slots=True)
class CaseDetail:
    intake: Intake
    patient: Patient
    age: int
    triage: TriageView | None
    review: CaseReview | None
    state: str
    state_label: str
    # The review was made on an earlier triage whose result differs from the current one.
    review_triage: TriageView | None
    summary: list[Section]
    chart: TrainingLoadChart | None
    regions: tuple[str, ...]
    side: str
    audit: tuple[AuditEntry, ...] = field(default_factory=tuple)
    audit_more: bool = False

    @property
    def review_disposition_label(self) -> str:
        return disposition_label(self.review.disposition) if self.review else ""

    @property
    def review_actions_label(self) -> str:
        if self.review is None:
            return ""
        return ", ".join(disposition_label(code) for code in self.review.actions)


def case_audit(*, intake: Intake, limit: int = CASE_AUDIT_LIMIT) -> tuple[list[AuditEntry], bool]:
    """The newest `limit` audit events of the case, and whether there are older ones."""
    events = list(
        AuditEvent.objects.filter(intake=intake)
        .select_related("actor")
        .order_by("-at", "-id")[: limit + 1]
    )
    entries = [
        AuditEntry(
            at=event.at,
            actor=(event.actor.get_full_name() or event.actor.get_username())
            if event.actor
            else "system",
            action=event.action,
            label=event.get_action_display(),
            detail=event.detail,
            ip_address=event.ip_address or "",
        )
        for event in events[:limit]
    ]
    return entries, len(events) > limit


def case_detail(*, intake: Intake, today: dt.date) -> CaseDetail:
    """Everything the case page shows, from an intake loaded by `case_for_clinician` (no query
    besides the audit trail's)."""
    review: CaseReview | None = getattr(intake, "review", None)
    current = intake.current_triage
    review_triage = None
    if (
        review is not None
        and current is not None
        and triage_results_differ(review.triage_record, current)
    ):
        review_triage = triage_view(review.triage_record)
    history = intake.history or {}
    symptoms = history.get("symptoms") or {}
    audit, audit_more = case_audit(intake=intake)
    state = review.state if review is not None else AWAITING
    return CaseDetail(
        intake=intake,
        patient=intake.patient,
        age=age_on(intake.patient.date_of_birth, today),
        triage=triage_view(current) if current is not None else None,
        review=review,
        state=state,
        state_label=STATE_LABELS.get(state, state),
        review_triage=review_triage,
        summary=history_summary(history),
        chart=training_load_chart(history) if history else None,
        regions=tuple(symptoms.get("regions") or ()),
        side=symptoms.get("side") or "left",
        audit=tuple(audit),
        audit_more=audit_more,
    )
