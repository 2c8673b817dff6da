"""Steps of the patient's form as a browser takes them, shared by the browser tests."""

from __future__ import annotations

BACK_QUESTIONS = (
    "low_back_pain",
    "pain_radiates_below_knee",
    "sciatica_both_legs",
    "known_disc_problem",
    "saddle_numbness",
    "bladder_or_bowel_change",
    "leg_weakness_or_foot_drop",
    "progressive",
)


def choose(page, name: str, value: str) -> None:
    """Tap the answer whose input has this name and value (the whole row is its label)."""
    page.locator(f'input[name="{name}"][value="{value}"] + label').click()


def answer_the_back_page(page, *, yes: tuple[str, ...] = ()) -> None:
    """Answer every question of the back page: "yes" to those named, "no" to the others."""
    for name in BACK_QUESTIONS:
        choose(page, name, "yes" if name in yes else "no")


def answer_step(page, step: str, answers: dict[str, str]) -> None:
    """On the form's page for this step, tap each answer and go on."""
    page.wait_for_url(f"**/form/{step}/")
    for name, value in answers.items():
        choose(page, name, value)
    page.get_by_role("button", name="Save and continue").click()


def confirm_birth_date(page, intake) -> None:
    """The page every link opens on: the patient's date of birth before any answer shows."""
    assert page.url.endswith("/form/confirm/")  # the token is gone from the address bar
    page.get_by_label("Your date of birth").fill(intake.patient.date_of_birth.isoformat())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/form/")
