"""Forms of the referral pages: they validate and return domain values, nothing more."""

from __future__ import annotations

from collections.abc import Sequence

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms

from referrals.models import Destination, Referral
from referrals.selectors.letters import destinations_for

TEXT_LIMIT = 4000


class ReferralDraftsForm(forms.Form):
    """Which of the review's referral actions become draft referrals."""

    destination_types = forms.MultipleChoiceField(
        label="Prepare referrals from the review",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one referral to prepare."},
    )

    def __init__(self, *args: object, choices: Sequence[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination_types"].choices = list(choices)
        self.fields["destination_types"].initial = [code for code, _ in choices]
        # Drawn by {% crispy %} inside the case panel's own <form>, as the panel's heading.
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_class = "h6"
        self.helper.layout = Layout(Field("destination_types", wrapper_class="mb-0"))


class ReferralDraftForm(forms.Form):
    """The parts of a draft the clinician writes: where it goes, what is asked, notes."""

    destination = forms.ModelChoiceField(
        queryset=Destination.objects.none(),
        required=False,
        empty_label="(not in the directory: addressed to the service type)",
        help_text="Administrators keep the directory of services in the admin.",
    )
    clinical_question = forms.CharField(
        label="Clinical question / reason for referral",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the clinical question: the letter asks it."},
    )
    notes = forms.CharField(
        label="Notes for the recipient",
        max_length=TEXT_LIMIT,
        required=False,
        help_text="Printed in the letter. Your review's clinical notes stay internal: they are "
        "not copied here.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: object, referral: Referral, **kwargs: object) -> None:
        kwargs.setdefault(
            "initial",
            {
                "destination": referral.destination_id,
                "clinical_question": referral.clinical_question,
                "notes": referral.notes,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations_for(referral.destination_type)

    def clean_clinical_question(self) -> str:
        question = self.cleaned_data["clinical_question"].strip()
        if not question:
            raise forms.ValidationError("Write the clinical question: the letter asks it.")
        return question


UNSAVED_CHANGES_MESSAGE = (
    "The draft has changes that are not saved, so the preview does not show them: "
    "save the draft, read the preview, then sign."
)


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have read the letter preview and sign this referral.",
        error_messages={"required": "Tick the box to confirm you have read the letter."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Drawn by {% crispy %} inside the draft's <form>; the page shows the form's own errors
        # as warnings above the box.
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_show_errors = False
        self.helper.layout = Layout(Field("confirm", wrapper_class="mb-2"))
