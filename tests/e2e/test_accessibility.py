"""axe-core (the npm package, installed by `make test` / `.ci/run`) finds no WCAG 2.2 A/AA
violation on any page people use, in each state they meet it: the sign-in page, every patient
step (fresh and after an empty submit), the answers review (unfinished and finished), the done
page, the desk, the queue with an urgent row, the case page and a referral.

The helpers live here, not in conftest.py, so this module stands on its own."""

from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from intake.models import Intake
from intake.questions import STEPS
from tests.accounts.totp import code_for_key
from tests.e2e.browser import sign_in
from tests.e2e.patient_form import confirm_birth_date
from tests.e2e.sign_in import code_step, password_step
from tests.factories import (
    ClinicianFactory,
    FrontDeskFactory,
    IntakeFactory,
    PatientFactory,
)
from tests.intake.factories import new_link
from tests.referrals.factories import TYPICAL_HISTORY, URGENT, draft_referral, submitted_intake

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture
def axe_page(browser):
    """A phone-sized page that may run axe: the app's CSP allows no injected script, so this
    context bypasses it (the pages' own scripts still run as they do for people)."""
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing: `make test` installs it with npm ci.")
        pytest.skip("axe-core not installed (npm ci) - accessibility checks skipped")
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    page.wait_for_load_state("networkidle")  # no request left running into the next test
    page.goto("about:blank")
    context.close()


def _violations(page) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations on the page as it stands, one line per element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_22_AA,
    )
    return [
        f"{page.url}: {violation['id']} ({violation['help']}) at {node['target']}:"
        f" {node['failureSummary']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def _foot_map_page(page, base: str, *, side: str, intake: Intake | None = None) -> None:
    """A patient on the first step (the foot map) with this foot chosen."""
    intake = intake or IntakeFactory()
    page.goto(f"{base}/p/{new_link(intake).token}/")
    confirm_birth_date(page, intake)
    page.goto(f"{base}/form/where/")
    page.locator(f'input[name="side"][value="{side}"] + label').click()


def test_the_patient_pages_have_no_axe_violations_in_any_state(live_server, axe_page) -> None:
    page = axe_page
    intake = IntakeFactory()
    link = new_link(intake)
    found: list[str] = []

    page.goto(f"{live_server.url}/p/{link.token}/")
    found += _violations(page)  # the date-of-birth question
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    found += _violations(page)  # ... and its error when left empty
    confirm_birth_date(page, intake)
    found += _violations(page)  # the start page
    for step in STEPS:
        page.goto(f"{live_server.url}/form/{step.slug}/")
        found += _violations(page)
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()
        found += _violations(page)  # the error summary and the fields' errors, when required
    page.goto(f"{live_server.url}/form/where/")
    page.locator('input[name="side"][value="both"] + label').click()
    found += _violations(page)  # both drawings shown
    page.goto(f"{live_server.url}/form/injury/")
    page.locator('input[name="recent_injury"][value="yes"] + label').click()
    found += _violations(page)  # the follow-up questions shown

    page.goto(f"{live_server.url}/form/review/")
    found += _violations(page)  # unfinished: links to the missing steps
    Intake.objects.filter(pk=intake.pk).update(
        answers=copy.deepcopy(TYPICAL_HISTORY), steps_completed=[step.slug for step in STEPS]
    )
    page.goto(f"{live_server.url}/form/review/")
    found += _violations(page)
    page.get_by_role("button", name="Send my answers to the clinic").click()
    page.wait_for_url("**/form/done/")
    found += _violations(page)

    assert not found, "\n".join(found)


def test_the_staff_pages_have_no_axe_violations(live_server, axe_page) -> None:
    page = axe_page
    page.set_viewport_size({"width": 1366, "height": 900})
    FrontDeskFactory(username="desk")
    doc = ClinicianFactory(username="doc")
    urgent = submitted_intake(
        history=URGENT,
        patient=PatientFactory(first_name="Bo", last_name="Strider"),
        submitted_at=timezone.now() - dt.timedelta(minutes=10),
    )
    referral = draft_referral()
    found: list[str] = []

    page.goto(f"{live_server.url}/accounts/login/")
    found += _violations(page)
    page.get_by_role("button", name="Sign in").click()  # empty: the form's errors
    page.wait_for_load_state()
    found += _violations(page)

    sign_in(page, live_server.url, "desk", lands_on="/desk/")
    page.goto(f"{live_server.url}/desk/")
    found += _violations(page)
    page.goto(f"{live_server.url}/desk/patients/{urgent.patient_id}/")
    found += _violations(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()

    device = TOTPDevice.objects.create(user=doc, name="Phone", confirmed=True)
    password_step(page, live_server.url, "doc")
    page.wait_for_url(f"{live_server.url}/accounts/two-factor/*")
    found += _violations(page)  # the second-factor step
    code_step(page, code_for_key(device.bin_key))
    page.wait_for_url(f"{live_server.url}/review/")
    page.goto(f"{live_server.url}/review/")
    assert "Urgent" in page.locator("tbody tr").first.inner_text()
    found += _violations(page)
    page.goto(f"{live_server.url}/review/case/{urgent.pk}/")
    found += _violations(page)
    page.goto(f"{live_server.url}/review/referrals/{referral.pk}/")
    found += _violations(page)

    assert not found, "\n".join(found)


def test_the_foot_maps_tab_order_follows_the_drawing_from_the_toes(live_server, axe_page) -> None:
    page = axe_page
    _foot_map_page(page, live_server.url, side="left")

    stops = []
    for _ in range(7):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("document.activeElement.dataset.region || null"))

    assert stops == [
        "toes",
        "interspace_2_3",
        "interspace_3_4",
        "forefoot",
        "sole",
        "heel",
        "dorsum",
    ]


def test_both_feet_draws_both_and_the_keyboard_meets_each_place_once(live_server, axe_page) -> None:
    page = axe_page
    _foot_map_page(page, live_server.url, side="both")

    assert page.locator('[data-foot-map-drawing="left"]').is_visible()
    assert page.locator('[data-foot-map-drawing="right"]').is_visible()
    stops = page.locator('[data-foot-map-drawing] [role="checkbox"][tabindex="0"]')
    assert stops.count() == 7
    page.locator('[data-foot-map-drawing="right"] [data-region="heel"]').click()
    assert page.locator('input[name="regions"][value="heel"]').is_checked()


def test_im_not_sure_where_clears_the_marked_places_and_saves(live_server, axe_page) -> None:
    page = axe_page
    intake = IntakeFactory()
    _foot_map_page(page, live_server.url, side="left", intake=intake)
    page.locator('[data-foot-map-drawing="left"] [data-region="heel"]').click()

    page.get_by_label("I'm not sure where").check()

    assert not page.locator('input[name="regions"][value="heel"]').is_checked()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/form/when/")
    intake.refresh_from_db()
    assert intake.answers["symptoms"] == {"side": "left"}
