"""Every page that shows health data writes exactly one audit row per view (issue 11, point 5).

READS is the list of those pages; GET_URLS_WITHOUT_A_READ names every other GET page of the
project, and why it writes none; a test checks that together they name every URL, so a new
page has to be put in one or the other.

The background polls are the documented exception: the queue's refresh (`queue_updates`), the
case's letters panel when polled (`X-Background-Poll`) and a referral's status. They repeat what
the page that started them showed and was audited for; a row every few seconds would bury the
trail.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from audit.models import AuditEvent
from tests.intake.factories import new_link, open_link
from tests.referrals.factories import draft_referral, ready_stand_in_referral, reviewed_case


@dataclass(frozen=True)
class Read:
    persona: str  # the client fixture
    path: str
    action: str

    @property
    def name(self) -> str:
        """The URL name the path resolves to (any id fills its placeholders): read from the path,
        so a row cannot name one page and visit another."""
        return resolve(self.path.format_map(defaultdict(lambda: "1")).split("?")[0]).view_name


READS = (
    Read("front_desk_client", "/desk/?q=Runner", "patients.searched"),
    Read("front_desk_client", "/desk/patients/{patient}/", "patient.viewed"),
    Read("front_desk_client", "/desk/patients/{patient}/edit/", "patient.viewed"),
    Read("clinician_client", "/review/", "queue.viewed"),
    Read("clinician_client", "/review/?q=Runner", "patients.searched"),
    Read("clinician_client", "/review/case/{intake}/", "case.viewed"),
    Read("clinician_client", "/review/case/{intake}/letters/", "case.letters_viewed"),
    Read("clinician_client", "/review/case/{intake}/letters/panel/", "case.letters_viewed"),
    Read("clinician_client", "/review/referrals/{ready}/", "referral.viewed"),
    Read("clinician_client", "/review/referrals/{draft}/preview/", "letter.previewed"),
    Read("clinician_client", "/review/case/{intake}/handout/preview/", "letter.previewed"),
    Read("clinician_client", "/review/letters/{letter}/download/", "letter.downloaded"),
    Read("admin_client_", "/admin/referrals/casereview/{review}/change/", "admin.viewed"),
    Read("admin_client_", "/admin/referrals/referral/{ready}/change/", "admin.viewed"),
    Read("admin_client_", "/admin/referrals/letter/{letter}/change/", "admin.viewed"),
    Read("answering_patient", "/form/review/", "intake.answers_viewed"),
    Read("answering_patient", "/form/where/", "intake.answers_viewed"),
)

BACKGROUND_POLLS = {
    "referrals:queue_updates": "/review/updates/",
    "referrals:case_letters_panel": "/review/case/{intake}/letters/panel/",
    "referrals:referral_status": "/review/referrals/{ready}/status/",
}

# Every other page a GET reaches, and why it writes no row.
GET_URLS_WITHOUT_A_READ = {
    "home": "a redirect to the role's workspace",
    "healthz": "no patient data",
    "login": "no patient data",
    "logout": "signs out (POST)",
    "intake:patient_new": "an empty registration form",
    "intake:reopen": "the visit's date and state only (as the desk's list); the reopen is audited",
    "intake:patient_link": "no page: the opening itself is recorded (invitation.opened)",
    "intake:form_confirm": "asks the date of birth; shows nothing",
    "intake:form_start": "the steps' names only",
    "intake:form_done": "a thank-you page",
    "intake:tablet": "the neutral tablet screen",
    "audit:export": "the trail itself; the export is recorded (audit.exported)",
    "accounts:verify": "the second-factor step: no patient data",
    "accounts:enrol": "enrolling an authenticator: no patient data",
    "accounts:invitation": "a staff invitation's password form: no patient data",
    "accounts:staff": "the staff list: no patient data; each change to staff is audited",
    "accounts:password_reset": "Django's reset pages: no patient data; the reset is audited",
    "accounts:password_reset_done": "Django's reset pages: no patient data",
    "accounts:password_reset_confirm": "Django's reset pages: no patient data; audited when done",
    "accounts:password_reset_complete": "Django's reset pages: no patient data",
    "selfhelp:link": "no page: the opening itself is recorded (handout.opened, follow_up.opened)",
    "selfhelp:handout": "the patient's own advice in their own session; the link's opening is "
    "recorded (handout.opened)",
    "selfhelp:handout_download": "the patient's own handout; each download is recorded "
    "(handout.downloaded, tests/referrals/test_selfhelp_handout.py)",
    "selfhelp:follow_up": "the patient's own follow-up form; the link's opening is recorded "
    "(follow_up.opened)",
    "referrals:letter_css": "a style sheet",
    "referrals:queue_updates": "a background poll",
    "referrals:referral_status": "a background poll",
}


@pytest.fixture
def objects(clinician) -> dict[str, int]:
    review = reviewed_case(clinician=clinician, first_name="Runner", actions=["xray", "inserts"])
    draft = draft_referral(review=review, destination_type="xray")
    ready = ready_stand_in_referral(review=review, destination_type="inserts")
    letter = ready.letters.get()
    return {
        "intake": review.intake_id,
        "patient": review.intake.patient_id,
        "review": review.pk,
        "draft": draft.pk,
        "ready": ready.pk,
        "letter": letter.pk,
    }


@pytest.fixture
def answering_patient(db) -> Client:
    """A patient's browser, date of birth confirmed, with the first step answered."""
    from tests.factories import IntakeFactory
    from tests.intake.factories import post_data

    client = Client()
    open_link(client, new_link(IntakeFactory()))
    client.post("/form/where/", post_data("where") | {"go": "next"})
    return client


@pytest.mark.parametrize("read", READS, ids=lambda read: read.path)
def test_each_page_that_shows_health_data_writes_one_audit_row(request, objects, read) -> None:
    client = request.getfixturevalue(read.persona)
    before = AuditEvent.objects.count()

    response = client.get(read.path.format_map(objects))

    assert response.status_code == 200, response.content[:300]
    rows = AuditEvent.objects.order_by("id")[before:]
    assert [row.action for row in rows] == [read.action]


@pytest.mark.parametrize("read", READS, ids=lambda read: read.path)
def test_each_audit_row_of_a_read_says_from_where(request, objects, read) -> None:
    client = request.getfixturevalue(read.persona)
    client.get(read.path.format_map(objects), REMOTE_ADDR="192.0.2.44")
    assert AuditEvent.objects.order_by("-id").first().ip_address == "192.0.2.44"


def test_a_search_row_holds_the_count_never_the_words(objects, front_desk_client) -> None:
    front_desk_client.get("/desk/?q=Runner")
    row = AuditEvent.objects.get(action="patients.searched")
    assert row.detail == "Search on the front desk returned 2 rows"  # the patient, their visit
    assert "Runner" not in row.detail


@pytest.mark.parametrize("name", sorted(BACKGROUND_POLLS))
def test_a_background_poll_writes_no_row(objects, clinician_client, name) -> None:
    before = AuditEvent.objects.count()
    response = clinician_client.get(
        BACKGROUND_POLLS[name].format_map(objects), HTTP_X_BACKGROUND_POLL="1"
    )
    assert response.status_code in (200, 204)
    assert AuditEvent.objects.count() == before


def _get_url_names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner == "admin:":
                continue  # the admin's own pages: its clinical models are in READS
            names |= _get_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def _post_only(name: str) -> bool:
    from tests.config.test_access_matrix import _tables

    rows = [row for row in _tables() if row.name == name]
    return bool(rows) and all(row.method == "post" for row in rows)


def test_every_page_is_either_audited_or_says_why_not() -> None:
    names = {name for name in _get_url_names(get_resolver().url_patterns) if not _post_only(name)}
    named = {read.name for read in READS} | set(GET_URLS_WITHOUT_A_READ)
    assert names - named == set()
