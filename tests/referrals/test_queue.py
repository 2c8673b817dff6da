"""The review queue: order, filters, search, pagination, and what each row shows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from intake.models import Intake
from referrals.models import CaseReview
from referrals.selectors.review import QUEUE_PAGE_SIZE
from tests.factories import PatientFactory
from tests.referrals.factories import (
    INSERTS,
    SELF_HELP,
    URGENT,
    XRAY,
    CaseReviewFactory,
    submitted_intake,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _ago(minutes: int) -> dt.datetime:
    return NOW - dt.timedelta(minutes=minutes)


def _row_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-intake="(\d+)"', response.content.decode())]


def test_it_lists_red_flags_first_then_by_priority_then_oldest_first(clinician_client) -> None:
    newer_self_help = submitted_intake(history=SELF_HELP, submitted_at=_ago(5))
    older_self_help = submitted_intake(history=SELF_HELP, submitted_at=_ago(50))
    inserts = submitted_intake(history=INSERTS, submitted_at=_ago(90))
    xray = submitted_intake(history=XRAY, submitted_at=_ago(1))
    newer_urgent = submitted_intake(history=URGENT, submitted_at=_ago(2))
    older_urgent = submitted_intake(history=URGENT, submitted_at=_ago(30))

    response = clinician_client.get("/review/")

    assert _row_ids(response) == [
        older_urgent.pk,
        newer_urgent.pk,
        xray.pk,
        inserts.pk,
        older_self_help.pk,
        newer_self_help.pk,
    ]


def test_it_marks_a_red_flag_row_with_an_icon_and_the_word_urgent(clinician_client) -> None:
    submitted_intake(history=URGENT)

    body = clinician_client.get("/review/").content.decode()

    row = body[body.index('class="queue-row queue-row--urgent"') :]
    row = row[: row.index("</tr>")]
    assert "badge-urgent__icon" in row
    assert ">Urgent</span>" in row
    assert "Possible cauda equina syndrome (URG-1)" in row


def test_each_row_shows_patient_age_visit_disposition_submitted_and_state(
    clinician_client,
) -> None:
    patient = PatientFactory(
        first_name="Ada", last_name="Strider", mrn="MRN424242", date_of_birth=dt.date(1990, 1, 1)
    )
    submitted_intake(history=XRAY, patient=patient, visit_date=dt.date(2031, 3, 4))
    today = timezone.localdate()
    age = today.year - 1990 - ((today.month, today.day) < (1, 1))

    body = clinician_client.get("/review/").content.decode()

    assert "Ada Strider" in body
    assert "MRN424242" in body
    assert f'<td data-label="Age">{age}</td>' in body
    assert "Tue 4 Mar 2031" in body
    assert '<td data-label="Disposition">X-ray</td>' in body
    assert "Awaiting review" in body
    assert "ago</div>" in body


def test_it_shows_only_cases_awaiting_review_by_default(clinician_client) -> None:
    waiting = submitted_intake()
    CaseReviewFactory(intake=submitted_intake())

    assert _row_ids(clinician_client.get("/review/")) == [waiting.pk]


def test_it_shows_every_state_when_asked(clinician_client) -> None:
    waiting = submitted_intake(submitted_at=_ago(10))
    sent = CaseReviewFactory(
        intake=submitted_intake(submitted_at=_ago(20)), state=CaseReview.State.SENT
    )

    response = clinician_client.get("/review/?state=all")

    assert _row_ids(response) == [sent.intake_id, waiting.pk]
    body = response.content.decode()
    assert "Awaiting review" in body
    assert ">Sent</span>" in body


def test_it_filters_by_review_state(clinician_client) -> None:
    CaseReviewFactory(intake=submitted_intake())
    ready = CaseReviewFactory(intake=submitted_intake(), state=CaseReview.State.LETTER_READY)

    assert _row_ids(clinician_client.get("/review/?state=letter_ready")) == [ready.intake_id]


def test_reopened_intakes_leave_the_queue(clinician_client) -> None:
    intake = submitted_intake()
    Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.IN_PROGRESS)

    assert _row_ids(clinician_client.get("/review/?state=all")) == []


def test_it_filters_by_disposition(clinician_client) -> None:
    submitted_intake(history=SELF_HELP)
    xray = submitted_intake(history=XRAY)

    assert _row_ids(clinician_client.get("/review/?disposition=xray")) == [xray.pk]


def test_it_filters_cases_with_and_without_red_flags(clinician_client) -> None:
    calm = submitted_intake(history=SELF_HELP)
    urgent = submitted_intake(history=URGENT)

    assert _row_ids(clinician_client.get("/review/?red_flag=yes")) == [urgent.pk]
    assert _row_ids(clinician_client.get("/review/?red_flag=no")) == [calm.pk]


def test_it_filters_by_visit_date_range(clinician_client) -> None:
    submitted_intake(visit_date=dt.date(2031, 1, 1))
    inside = submitted_intake(visit_date=dt.date(2031, 1, 15))
    submitted_intake(visit_date=dt.date(2031, 2, 1))

    response = clinician_client.get("/review/?visit_from=2031-01-10&visit_to=2031-01-20")

    assert _row_ids(response) == [inside.pk]


@pytest.mark.parametrize("sort_rows", [0, 10_000], ids=["walked", "found-then-sorted"])
def test_a_dispositions_cases_in_a_visit_window_come_in_queue_order_page_by_page(
    clinician_client, monkeypatch, sort_rows: int
) -> None:
    # On PostgreSQL up to WINDOW_SORT_ROWS such cases are found by visit date and then sorted;
    # past it (0 here) the queue's order is walked. Both give the same pages.
    monkeypatch.setattr("referrals.selectors.review.WINDOW_SORT_ROWS", sort_rows)
    inside = [
        submitted_intake(
            history=XRAY, visit_date=dt.date(2031, 1, 10 + i % 10), submitted_at=_ago(500 - i)
        )
        for i in range(QUEUE_PAGE_SIZE + 3)
    ]
    submitted_intake(history=XRAY, visit_date=dt.date(2031, 2, 1), submitted_at=_ago(900))
    submitted_intake(history=SELF_HELP, visit_date=dt.date(2031, 1, 12), submitted_at=_ago(900))
    window = "disposition=xray&visit_from=2031-01-10&visit_to=2031-01-20&state=all"

    first = clinician_client.get(f"/review/?{window}")
    second = clinician_client.get(f"/review/?{window}&page=2")

    assert _row_ids(first) + _row_ids(second) == [i.pk for i in inside]
    assert f"{QUEUE_PAGE_SIZE + 3} cases · page 1 of 2" in first.content.decode()


def test_a_search_counts_up_to_its_own_cap_and_asks_for_more_of_the_name(
    clinician_client, monkeypatch
) -> None:
    monkeypatch.setattr("referrals.selectors.review.SEARCH_COUNT_CAP", 2)
    for _ in range(3):
        submitted_intake(patient=PatientFactory(last_name="Strider"))

    searched = clinician_client.get("/review/?q=strid").content.decode()
    unsearched = clinician_client.get("/review/").content.decode()

    assert "2+ cases" in searched
    assert "narrow the filters to see the rest" in searched
    assert "3 cases" in unsearched


@pytest.mark.parametrize("query", ["strid", "STRIDER", "ada str", "mrn77"])
def test_it_finds_a_patient_by_the_start_of_a_name_or_mrn(clinician_client, query: str) -> None:
    ada = PatientFactory(first_name="Ada", last_name="Strider", mrn="MRN7701")
    wanted = submitted_intake(patient=ada)
    submitted_intake(patient=PatientFactory(first_name="Bo", last_name="Pacer", mrn="MRN8801"))

    assert _row_ids(clinician_client.get("/review/", {"q": query})) == [wanted.pk]


def test_a_search_matching_many_patients_gives_the_same_cases(
    clinician_client, monkeypatch
) -> None:
    ada = PatientFactory(first_name="Ada", last_name="Strider", mrn="MRN7701")
    wanted = [submitted_intake(patient=ada, submitted_at=_ago(m)) for m in (30, 20)]
    submitted_intake(patient=PatientFactory(first_name="Bo", last_name="Pacer"))
    # Past this many matching patients the search joins instead of listing their ids.
    monkeypatch.setattr("referrals.selectors.review.NARROW_SEARCH_PATIENTS", 0)

    assert _row_ids(clinician_client.get("/review/", {"q": "str"})) == [w.pk for w in wanted]


@pytest.mark.parametrize("query", ["%", "_", "Str%er"])
def test_search_wildcards_are_taken_literally(clinician_client, query: str) -> None:
    submitted_intake(patient=PatientFactory(first_name="Ada", last_name="Strider"))

    assert _row_ids(clinician_client.get("/review/", {"q": query})) == []


def test_the_url_carries_the_filters_so_a_view_can_be_bookmarked(clinician_client) -> None:
    for _ in range(QUEUE_PAGE_SIZE + 1):
        submitted_intake(history=XRAY)

    body = clinician_client.get("/review/?disposition=xray&red_flag=no").content.decode()

    assert 'href="?disposition=xray&amp;red_flag=no&amp;page=2"' in body
    assert '<option value="xray" selected>' in body


def test_it_pages_through_the_queue(clinician_client) -> None:
    intakes = [submitted_intake(submitted_at=_ago(100 - i)) for i in range(QUEUE_PAGE_SIZE + 2)]

    first = _row_ids(clinician_client.get("/review/"))
    second = _row_ids(clinician_client.get("/review/?page=2"))

    assert first == [i.pk for i in intakes[:QUEUE_PAGE_SIZE]]
    assert second == [i.pk for i in intakes[QUEUE_PAGE_SIZE:]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("visit_from=yesterday", "Visit from: Enter a valid date."),
        ("disposition=teleport", "Disposition: Select a valid choice."),
        ("state=lost", "State: Select a valid choice."),
        ("page=-3", "Ensure this value is greater than or equal to 1."),
        ("visit_from=2020-02-01&visit_to=2020-01-01", "The end of the visit range is before"),
    ],
)
def test_a_bad_filter_is_explained_and_the_queue_still_shows(
    clinician_client, query: str, message: str
) -> None:
    intake = submitted_intake()

    response = clinician_client.get(f"/review/?{query}")

    assert response.status_code == 200
    body = response.content.decode().replace("&#x27;", "'")
    assert "Some filters could not be used" in body
    assert message in body
    assert _row_ids(response) == [intake.pk]


def test_a_bad_filter_keeps_the_good_ones_and_what_was_typed(clinician_client) -> None:
    xray = submitted_intake(history=XRAY)
    submitted_intake(history=SELF_HELP)

    response = clinician_client.get("/review/?disposition=xray&visit_from=31/31/2031")

    assert _row_ids(response) == [xray.pk]
    assert 'value="31/31/2031"' in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(clinician_client) -> None:
    intake = submitted_intake()

    response = clinician_client.get("/review/?page=999")

    assert _row_ids(response) == [intake.pk]


def test_the_count_stops_at_the_cap_and_says_there_are_more(clinician_client, monkeypatch) -> None:
    monkeypatch.setattr("referrals.selectors.review.QUEUE_COUNT_CAP", QUEUE_PAGE_SIZE * 2)
    for _ in range(QUEUE_PAGE_SIZE * 2 + 1):
        submitted_intake()

    body = clinician_client.get("/review/").content.decode()

    assert f"{QUEUE_PAGE_SIZE * 2}+ cases · page 1 of 2+ · narrow the filters" in body


def test_pages_up_to_the_cap_are_served_and_past_it_the_last_one(
    clinician_client, monkeypatch
) -> None:
    monkeypatch.setattr("referrals.selectors.review.QUEUE_COUNT_CAP", QUEUE_PAGE_SIZE)
    intakes = [submitted_intake(submitted_at=_ago(100 - i)) for i in range(QUEUE_PAGE_SIZE + 2)]

    assert _row_ids(clinician_client.get("/review/?page=2")) == [
        i.pk for i in intakes[:QUEUE_PAGE_SIZE]
    ]


def test_a_count_under_the_cap_is_exact(clinician_client, monkeypatch) -> None:
    monkeypatch.setattr("referrals.selectors.review.QUEUE_COUNT_CAP", 3)
    for _ in range(3):
        submitted_intake()

    body = clinician_client.get("/review/").content.decode()

    assert "3 cases · refreshes by itself" in body


def test_an_empty_queue_says_so(clinician_client) -> None:
    assert "No cases match" in clinician_client.get("/review/").content.decode()


def test_the_queue_runs_the_same_number_of_queries_for_3_or_30_rows(
    clinician_client, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert clinician_client.get("/review/?state=all").status_code == 200
        return len(captured)

    for history in (URGENT, XRAY, SELF_HELP):
        CaseReviewFactory(intake=submitted_intake(history=history))
    few = queries_for_page()
    for i in range(27):
        submitted_intake(history=(URGENT, XRAY, INSERTS, SELF_HELP)[i % 4])
    many = queries_for_page()

    assert few == many
    # 13: one of them is django-otp loading the device that verified this session, one writes
    # the view's audit row.
    with django_assert_max_num_queries(13):
        clinician_client.get("/review/?state=all")
