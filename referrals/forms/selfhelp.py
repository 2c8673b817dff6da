"""Forms of the self-help loop: the patient's follow-up check-in and the clinician's schedule.

The check-in asks the pre-visit form's own questions for the self-help advice and the red flags
(intake/questions.py), so both forms say the same thing about the same field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from intake.questions import YES_NO, step_by_slug
from referrals.models import FollowUp
from referrals.services.selfhelp import RED_FLAG_FIELDS, FollowUpAnswers

_STEP_OF_SECTION = {"back": "back", "medical": "health"}


def _question(section: str, name: str):
    return step_by_slug(_STEP_OF_SECTION.get(section, "care")).question(name)


def follow_up_weeks_field(*, label: str, help_text: str = "") -> forms.IntegerField:
    """Weeks until the self-help check-in (1 to 52, the clinic's default first): one field for
    the review that schedules it and for moving it later from the case page."""
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=52,
        required=False,
        initial=settings.FOLLOW_UP_WEEKS,
        help_text=help_text,
    )


class FollowUpForm(forms.Form):
    """How the self-help advice went, numbness now, and the red-flag questions again."""

    outcome = forms.ChoiceField(
        label="Since your visit, how is the numbness?",
        choices=[
            (FollowUp.Outcome.RESOLVED, "Gone"),
            (FollowUp.Outcome.BETTER, "Better"),
            (FollowUp.Outcome.NO_CHANGE, "No change"),
            (FollowUp.Outcome.WORSE, "Worse"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose one answer."},
    )
    weeks_followed = forms.IntegerField(
        label="For how many weeks did you follow the advice?",
        min_value=0,
        max_value=520,
        error_messages={"required": "Please enter a number (0 if you did not follow it)."},
    )
    tried = forms.MultipleChoiceField(
        label="Which of the advice did you try? Tick all that apply.",
        choices=list(_question("self_help", "tried").choices.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    numbness = forms.IntegerField(
        label="How bad is the numbness now, from 0 (none) to 10 (the worst you can imagine)?",
        min_value=0,
        max_value=10,
        error_messages={"required": "Please enter a number from 0 to 10."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section, name in RED_FLAG_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=_question(section, name).label,
                choices=list(YES_NO.items()),
                widget=forms.RadioSelect,
                error_messages={"required": "Please answer yes or no."},
            )

    def answers(self) -> FollowUpAnswers:
        data = self.cleaned_data
        return FollowUpAnswers(
            outcome=data["outcome"],
            weeks_followed=data["weeks_followed"],
            tried=data["tried"],
            numbness=data["numbness"],
            red_flags={name: data[name] == "yes" for _, name in RED_FLAG_FIELDS},
        )


class FollowUpScheduleForm(forms.Form):
    """The clinician moves the case's check-in, or cancels it."""

    weeks = follow_up_weeks_field(label="Follow-up in (weeks)")
    cancel = forms.BooleanField(label="No follow-up for this patient", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("cancel") and not data.get("weeks"):
            self.add_error("weeks", "Give the weeks, or tick no follow-up.")
        return data
