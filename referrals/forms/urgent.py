"""The form of a contact with the patient. It validates and returns domain values; the service
(referrals.services.urgent.patient_contact_record) acts."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from referrals.models import PatientContact

MAX_CONTACT_NOTE = 2000


class PatientContactForm(forms.Form):
    contacted_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    method = forms.ChoiceField(label="How", choices=PatientContact.Method.choices)
    outcome = forms.ChoiceField(
        label="Outcome", choices=PatientContact.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=MAX_CONTACT_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the patient was told, or what happened. Required for “Other”.",
    )

    def __init__(self, *args: object, now: dt.datetime, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        self.fields["contacted_at"].initial = timezone.localtime(now).replace(
            second=0, microsecond=0
        )

    def clean_contacted_at(self) -> dt.datetime:
        contacted_at = self.cleaned_data["contacted_at"]
        # A minute's grace: the field has no seconds and clocks differ a little.
        if contacted_at > self.now + dt.timedelta(minutes=1):
            raise forms.ValidationError("A contact cannot be in the future.")
        return min(contacted_at, self.now)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("outcome") == PatientContact.Outcome.OTHER and not data.get("note", "").strip():
            self.add_error("note", "Say what happened.")
        return data
