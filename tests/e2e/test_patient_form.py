"""A patient fills the whole pre-visit form on a phone-sized screen (390 x 844), marking places on
the foot map, and submits it (a real browser on the live server)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from intake.models import Intake
from tests.e2e.browser import PHONE, fresh_page, settle
from tests.e2e.patient_form import BACK_QUESTIONS, answer_step, choose, confirm_birth_date
from tests.factories import IntakeFactory
from tests.intake.factories import new_link

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_patient_fills_the_whole_form_on_a_phone_and_submits(live_server, page) -> None:
    intake = IntakeFactory()
    link = new_link(intake)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )

    page.goto(f"{live_server.url}/p/{link.token}/")
    confirm_birth_date(page, intake)
    page.get_by_role("link", name="Start").click()

    # 1. Where: the right foot; the map follows and takes taps and the keyboard.
    page.wait_for_url("**/form/where/")
    _no_sideways_scroll(page)
    choose(page, "side", "right")
    right = page.locator('[data-foot-map-drawing="right"]')
    expect(right).to_be_visible()
    assert page.locator('[data-foot-map-drawing="left"]').is_hidden()
    right.locator('[data-region="interspace_3_4"][role="checkbox"]').click()
    right.locator('[data-region="heel"]').click()
    toes = right.locator('[data-region="toes"][role="checkbox"]')
    toes.focus()
    page.keyboard.press("Space")
    assert toes.get_attribute("aria-checked") == "true"
    page.keyboard.press("Space")  # and off again
    assert toes.get_attribute("aria-checked") == "false"
    assert page.locator("[data-foot-map-summary]").inner_text() == (
        "Marked: Between the 3rd and 4th toes, Heel."
    )
    choose(page, "sensations", "burning")
    page.get_by_role("button", name="Save and continue").click()

    # 2. When.
    page.wait_for_url("**/form/when/")
    page.get_by_label("How many weeks ago did it start?").fill("5")
    choose(page, "when", "only_running")
    page.get_by_label("If it starts during a run: after how many minutes?").fill("25")
    for name, answer in [
        ("eases_within_minutes_of_stopping", "yes"),
        ("relieved_by_removing_shoe", "yes"),
        ("clicking_or_pebble_feeling", "yes"),
        ("lower_leg_tightness", "no"),
    ]:
        choose(page, name, answer)
    choose(page, "activities", "road")
    page.get_by_role("button", name="Save and continue").click()

    # 3. Shoes, 4. Feet.
    answer_step(
        page,
        "shoes",
        {"fit": "snug", "toe_box": "narrow", "lacing": "normal", "socks": "thin", "sole": "medium"},
    )
    answer_step(page, "feet", {"arch": "normal", "very_flexible_sole": "no"})

    # 5. Training: a typo first, shown next to the field, then corrected.
    page.wait_for_url("**/form/training/")
    page.get_by_label("How many kilometres did you run in the last week?").fill("thirty")
    page.get_by_label("How many kilometres did you run in a typical week a month ago?").fill("28,5")
    choose(page, "forefoot_slapping", "no")
    page.get_by_role("button", name="Save and continue").click()
    assert page.locator("#id_weekly_km_now-error").inner_text() == (
        "Please enter a number, like 12 or 12.5."
    )
    assert (
        page.get_by_label(
            "How many kilometres did you run in a typical week a month ago?"
        ).input_value()
        == "28,5"
    )
    page.get_by_label("How many kilometres did you run in the last week?").fill("30")
    page.get_by_role("button", name="Save and continue").click()

    # 6. Injury: the details appear only after "yes".
    page.wait_for_url("**/form/injury/")
    swelling = page.locator("#q-swelling")
    assert swelling.is_hidden()
    choose(page, "recent_injury", "yes")
    expect(swelling).to_be_visible()
    choose(page, "swelling", "no")
    choose(page, "could_not_bear_weight_4_steps", "no")
    choose(page, "bone_spot", "no")
    assert page.locator("#q-bone_tenderness").is_hidden()
    page.get_by_role("button", name="Save and continue").click()

    # 7. Back, 8. Health.
    answer_step(page, "back", dict.fromkeys(BACK_QUESTIONS, "no"))
    answer_step(page, "health", {"foot_cold_or_pale": "no", "calf_pain_when_walking": "no"})

    # 9. What was tried: items, weeks and outcome are asked once the patient says they tried.
    page.wait_for_url("**/form/care/")
    weeks = page.locator("#q-weeks")
    assert weeks.is_hidden()
    assert page.locator("#q-tried").is_hidden()
    choose(page, "tried_anything", "yes")
    expect(weeks).to_be_visible()
    choose(page, "tried", "looser_lacing")
    page.get_by_label("For how many weeks have you tried it?").fill("3")
    choose(page, "outcome", "no_change")
    choose(page, "inserts", "none")
    choose(page, "injection", "none")
    # Back keeps this page's answers.
    page.get_by_role("button", name="Back").click()
    page.wait_for_url("**/form/health/")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url("**/form/care/")
    assert page.locator('input[name="tried"][value="looser_lacing"]').is_checked()
    assert page.get_by_label("For how many weeks have you tried it?").input_value() == "3"
    page.get_by_role("button", name="Save and continue").click()

    # Review and submit.
    page.wait_for_url("**/form/review/")
    _no_sideways_scroll(page)
    page.locator("#review-where").click()  # the sections are folded: open the first
    legend = page.locator(".foot-map__legend")
    assert "Right foot, marked:" in legend.inner_text()
    assert legend.locator("li").all_inner_texts() == ["Between the 3rd and 4th toes", "Heel"]
    assert "Narrow: my toes are squeezed" in page.content()
    page.get_by_role("button", name="Send my answers to the clinic").click()
    page.wait_for_url("**/form/done/")
    assert "Your answers have reached the clinic" in page.content()
    assert problems == []
    settle(page)

    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED
    symptoms = intake.history["symptoms"]
    assert symptoms["side"] == "right"
    assert symptoms["regions"] == ["interspace_3_4", "heel"]
    assert intake.history["training"] == {
        "weekly_km_now": 30,
        "weekly_km_4_weeks_ago": 28.5,
        "forefoot_slapping": False,
    }
    assert intake.history["self_help"] == {
        "tried": ["looser_lacing"],
        "weeks": 3,
        "outcome": "no_change",
    }
    assert intake.current_triage is not None


def test_without_javascript_the_foot_map_is_plain_checkboxes(live_server, browser) -> None:
    intake = IntakeFactory()
    link = new_link(intake)
    with fresh_page(browser, PHONE, java_script_enabled=False) as page:
        page.goto(f"{live_server.url}/p/{link.token}/")
        confirm_birth_date(page, intake)
        page.goto(f"{live_server.url}/form/where/")
        choose(page, "side", "left")
        page.get_by_label("Heel").check()
        page.get_by_label("Top of the foot").check()
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_url("**/form/when/")
        # Follow-up questions all show, each with a hint, when no script can hide them.
        page.goto(f"{live_server.url}/form/injury/")
        expect(page.locator("#q-swelling")).to_be_visible()
        assert "Only if you answered “Yes” above." in page.locator("#q-swelling").inner_text()
        page.goto(f"{live_server.url}/form/care/")
        expect(page.locator("#q-weeks")).to_be_visible()
        expect(page.locator("#q-outcome")).to_be_visible()
        page.goto("about:blank")
    intake.refresh_from_db()
    assert intake.answers["symptoms"]["regions"] == ["heel", "dorsum"]


_LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("step", ["care", "injury"])
def test_follow_up_questions_are_hidden_before_first_paint_so_nothing_shifts(
    live_server, browser, step
) -> None:
    intake = IntakeFactory()
    link = new_link(intake)
    with fresh_page(browser, PHONE) as page:
        page.goto(f"{live_server.url}/p/{link.token}/")
        confirm_birth_date(page, intake)
        # A slow line: the form's script arrives a second after the page is drawn.
        page.route("**/intake_form*.js", lambda route: (time.sleep(1), route.continue_()))
        page.goto(f"{live_server.url}/form/{step}/")
        assert page.evaluate(_LAYOUT_SHIFT) < 0.01
        assert page.locator(".question--conditional").first.is_hidden()
        page.goto("about:blank")
