"""Forms of the review dashboard. They validate and return domain values; services act."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict

from intake.models import TriageRecord
from intake.triage import DISPOSITIONS
from referrals.forms.selfhelp import follow_up_weeks_field
from referrals.models import CaseReview
from referrals.selectors.review import (
    ALL_STATES,
    AWAITING,
    STATE_LABELS,
    QueueFilters,
)

DISPOSITION_CHOICES = [(d.code, d.label) for d in DISPOSITIONS]
MAX_REASON = 2000
MAX_NOTES = 10000


class QueueFilterForm(forms.Form):
    """The queue's query string. A bad value is reported and ignored, the others still apply,
    and what the clinician typed stays in the form to correct."""

    q = forms.CharField(label="Name or MRN", required=False, max_length=100, strip=True)
    disposition = forms.ChoiceField(
        label="Disposition", required=False, choices=[("", "Any")] + DISPOSITION_CHOICES
    )
    red_flag = forms.ChoiceField(
        label="Red flags",
        required=False,
        choices=[("", "Any"), ("yes", "Urgent: red flags"), ("no", "No red flags")],
    )
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=list(STATE_LABELS.items()) + [(ALL_STATES, "All states")],
    )
    visit_from = forms.DateField(
        label="Visit from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    visit_to = forms.DateField(
        label="Visit to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    FILTER_FIELDS = ("q", "disposition", "red_flag", "state", "visit_from", "visit_to")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Small boxes, so that the filters fit in one row above the queue.
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} {css}-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("visit_from"), data.get("visit_to")
        if start and end and start > end:
            self.add_error("visit_to", "The end of the visit range is before its start.")
        return data

    def filters(self) -> QueueFilters:
        """The filters that validated; a field with an error filters nothing."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return QueueFilters(
            q=data.get("q") or "",
            disposition=data.get("disposition") or "",
            red_flag=data.get("red_flag") or "",
            state=data.get("state") or AWAITING,
            visit_from=data.get("visit_from"),
            visit_to=data.get("visit_to"),
            page=data.get("page") or 1,
        )

    def problems(self) -> list[str]:
        """Each rejected value in words, naming its filter."""
        messages = []
        for name, errors in self.errors.items():
            label = self.fields[name].label or name if name in self.fields else "Filters"
            messages.extend(f"{label}: {error} This filter was not applied." for error in errors)
        return messages

    def query_string(self) -> str:
        """The filters as given (page left out), for links that keep them: pagination, polling."""
        params = QueryDict(mutable=True)
        for name in self.FILTER_FIELDS:
            value = self.data.get(name, "")
            if value:
                params[name] = value
        return params.urlencode()


class CaseReviewForm(forms.Form):
    """Accept the triage as it is, or override its disposition and/or actions with a reason."""

    triage_record = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (CaseReview.Decision.ACCEPTED, "Accept the triage as it is"),
            (CaseReview.Decision.OVERRIDDEN, "Override the disposition and/or actions"),
        ],
        # static/js/review.js shows the override fields only when Override is chosen.
        widget=forms.RadioSelect(attrs={"data-review-decision": True}),
        initial=CaseReview.Decision.ACCEPTED,
    )
    disposition = forms.ChoiceField(
        label="Disposition", choices=DISPOSITION_CHOICES, required=False
    )
    actions = forms.MultipleChoiceField(
        label="Actions",
        choices=DISPOSITION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    override_reason = forms.CharField(
        label="Reason for the override",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you override: why the triage does not fit this patient.",
    )
    notes = forms.CharField(
        label="Clinical notes",
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # A review that keeps self-help schedules the check-in; the clinician may move or drop it.
    follow_up_weeks = follow_up_weeks_field(
        label="Self-help follow-up in (weeks)",
        help_text="Used when the decision includes self-help: the patient is asked how it went.",
    )
    no_follow_up = forms.BooleanField(label="No self-help follow-up", required=False)

    def __init__(self, *args: Any, triage: TriageRecord | None = None, **kwargs: Any) -> None:
        if triage is not None:
            kwargs.setdefault(
                "initial",
                {
                    "triage_record": triage.pk,
                    "decision": CaseReview.Decision.ACCEPTED,
                    "disposition": triage.disposition,
                    "actions": list(triage.actions),
                    "follow_up_weeks": settings.FOLLOW_UP_WEEKS,
                },
            )
        super().__init__(*args, **kwargs)
        self.triage = triage

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision = data.get("decision")
        reason = data.get("override_reason", "")
        if decision == CaseReview.Decision.ACCEPTED:
            if reason:
                self.add_error(
                    "override_reason",
                    "You wrote an override reason but chose to accept the triage. Choose "
                    "Override to change the result, or clear the reason.",
                )
            return data
        if decision != CaseReview.Decision.OVERRIDDEN:
            return data
        disposition = data.get("disposition")
        actions = data.get("actions") or []
        if not reason:
            self.add_error(
                "override_reason", "An override needs a reason: say why the triage does not fit."
            )
        if not disposition:
            self.add_error("disposition", "Choose the disposition.")
        elif disposition not in actions:
            self.add_error(
                "actions", "The disposition must be one of the actions: tick it as well."
            )
        triage = self.triage
        if (
            triage is not None
            and disposition == triage.disposition
            and sorted(actions) == sorted(triage.actions)
        ):
            self.add_error(
                "disposition",
                "This is the triage's own result. Change the disposition or the actions, or "
                "choose Accept.",
            )
        return data


class ReviewNotesForm(forms.Form):
    notes = forms.CharField(
        label="Clinical notes",
        required=False,
        max_length=MAX_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
