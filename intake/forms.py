"""Forms: the front desk's patient and visit forms, and one form per step of the patient's
history built from intake/questions.py. Forms validate and return plain values; services act."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from intake.answers import is_shown
from intake.questions import NOT_SURE_WHERE, Question, Step
from intake.visit_dates import visit_date_refusal

# Plain words for the patient; the defaults ("This field is required.") read like a machine.
_REQUIRED = {
    "choice": "Please choose one answer.",
    "yesno": "Please answer yes or no.",
    "multi": "Please tick at least one.",
    "regions": "Please mark at least one place on the foot, or tick “I'm not sure where”.",
    "integer": "Please enter a number.",
    "number": "Please enter a number.",
}
_INVALID_CHOICE = "Please choose one of the answers shown."


class _DecimalCommaFloatField(forms.FloatField):
    """Kilometres as the patient types them: "12.5" or "12,5". Not-a-number and infinity are
    refused by FloatField itself."""

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _bounds_message(question: Question) -> str:
    unit = "a whole number" if question.kind == "integer" else "a number"
    return f"Please enter {unit} from {question.minimum:g} to {question.maximum:g}."


def _field_for(question: Question, *, lenient: bool) -> forms.Field:
    # Requiredness of a follow-up depends on its gate, so StepForm.clean checks it.
    required = question.required and question.show_if is None and not lenient
    messages = {"required": _REQUIRED[question.kind], "invalid_choice": _INVALID_CHOICE}
    choices = list(question.choices.items())
    shown = {"label": question.label, "help_text": question.help}
    if question.kind in ("choice", "yesno"):
        return forms.ChoiceField(
            choices=choices,
            required=required,
            widget=forms.RadioSelect,
            error_messages=messages,
            **shown,
        )
    if question.kind in ("multi", "regions"):
        messages["invalid_choice"] = "Please tick only the answers shown."
        messages["invalid_list"] = "Please tick only the answers shown."
        return forms.MultipleChoiceField(
            choices=choices,
            required=required,
            widget=forms.CheckboxSelectMultiple,
            error_messages=messages,
            **shown,
        )
    bounds = _bounds_message(question)
    messages |= {"min_value": bounds, "max_value": bounds}
    attrs = {"autocomplete": "off"}
    if question.kind == "integer":
        messages["invalid"] = "Please enter a whole number, like 3."
        return forms.IntegerField(
            required=required,
            min_value=question.minimum,
            max_value=question.maximum,
            # Text, not type=number: a browser drops text it cannot parse, and nothing the
            # patient typed may be lost; the server says what is wrong instead.
            widget=forms.TextInput(attrs=attrs | {"inputmode": "numeric"}),
            error_messages=messages,
            **shown,
        )
    messages["invalid"] = "Please enter a number, like 12 or 12.5."
    return _DecimalCommaFloatField(
        required=required,
        min_value=question.minimum,
        max_value=question.maximum,
        widget=forms.TextInput(attrs=attrs | {"inputmode": "decimal"}),
        error_messages=messages,
        **shown,
    )


def _to_json(question: Question, value: Any) -> Any:
    if value in (None, "", []):
        return None
    if question.kind == "yesno":
        return value == "yes"
    if question.kind in ("multi", "regions"):
        ticked = set(value) - {NOT_SURE_WHERE}
        return [code for code in question.choices if code in ticked] or None  # the schema's order
    if question.kind == "number":
        value = round(float(value), 1)
        return int(value) if value.is_integer() else value
    return value


class StepForm(forms.Form):
    """The questions of one step. `lenient` (going back) checks only that what was typed makes
    sense, so a half-answered page can still be saved."""

    def __init__(self, *args: Any, step: Step, lenient: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        self.lenient = lenient
        for question in step.questions:
            self.fields[question.key] = _field_for(question, lenient=lenient)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for question in self.step.questions:
            marked = data.get(question.key) or []
            if question.kind == "regions" and NOT_SURE_WHERE in marked and len(marked) > 1:
                self.add_error(
                    question.key,
                    "Please either mark places on the foot or tick “I'm not sure where”, not both.",
                )
        for question in self.step.questions:
            if question.show_if is None:
                continue
            if not is_shown(question, data):
                # Not asked, so nothing typed there counts (or blocks the page).
                self.errors.pop(question.key, None)
                data.pop(question.key, None)
            elif (
                question.required
                and not self.lenient
                and data.get(question.key) in (None, "", [])
                and question.key not in self.errors
            ):
                self.add_error(question.key, _REQUIRED[question.kind])
        return data

    def values(self) -> dict[str, dict[str, Any]]:
        """The answers that validated, as history sections (section -> field -> JSON value).
        Follow-ups that do not apply and empty answers are left out (omitted means default)."""
        data = getattr(self, "cleaned_data", {})
        values: dict[str, dict[str, Any]] = {}
        for question in self.step.questions:
            if not question.stored or question.key not in data or not is_shown(question, data):
                continue
            value = _to_json(question, data[question.key])
            if value is not None:
                values.setdefault(question.section, {})[question.key] = value
        return values

    def rows(self) -> list[dict[str, Any]]:
        """What the template walks: each question with its bound field and follow-up hint."""
        rows = []
        for question in self.step.questions:
            hint = ""
            if question.show_if is not None:
                gate = self.step.question(question.show_if.question)
                shown_as = [gate.choices.get(v, v) for v in question.show_if.values if v != "any"]
                hint = (
                    f"Only if you answered “{shown_as[0]}” above."
                    if shown_as
                    else "Only if you ticked something above."
                )
            rows.append({"question": question, "field": self[question.key], "hint": hint})
        return rows


class BirthDateForm(forms.Form):
    """The patient's date of birth, asked before the form shows any answer."""

    date_of_birth = forms.DateField(
        label="Your date of birth",
        help_text="We ask so that only you can see your answers.",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Please enter your date of birth.",
            "invalid": "Please enter your date of birth as a date, like 17/05/1990.",
        },
    )


# Front desk -----------------------------------------------------------------------------------


class PatientForm(forms.Form):
    mark_optional = True  # most fields are required: the few that are not say so

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the date of birth as a date, e.g. 17/05/1990."},
    )
    mrn = forms.CharField(
        label="Clinic number (MRN)",
        max_length=32,
        help_text="The number on the clinic's record for this patient.",
    )
    email = forms.EmailField(label="E-mail", required=False)
    mobile = forms.CharField(
        label="Mobile", max_length=32, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    same_person_checked = forms.BooleanField(
        label="I have checked: this is a different person with the same name and date of birth",
        required=False,
    )

    def clean_mrn(self) -> str:
        mrn = "".join(self.cleaned_data["mrn"].split()).upper()
        if not mrn:
            raise ValidationError("Enter the clinic number.")
        return mrn

    def clean_first_name(self) -> str:
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self) -> str:
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_mobile(self) -> str:
        mobile = " ".join(self.cleaned_data["mobile"].split())
        if mobile and not all(c.isdigit() or c in "+ ()-" for c in mobile):
            raise ValidationError("Enter the mobile number with digits only, e.g. 07700 900123.")
        return mobile

    def clean_date_of_birth(self) -> dt.date:
        born = self.cleaned_data["date_of_birth"]
        if born.year < 1900 or born > timezone.localdate():
            raise ValidationError("Check the date of birth: it must be a past date.")
        return born


class PatientDetailsForm(PatientForm):
    """The desk's correction of a registered patient: the registration's fields and checks, but
    not the clinic number, which is the record's identity."""

    mrn = None  # type: ignore[assignment]


class DeskVisitsFilterForm(forms.Form):
    """The desk's visits list: a patient search and the form's state, both in the URL."""

    # Django's CharField refuses a NUL character (which PostgreSQL cannot store or compare) with
    # a message; a long query is cut, as the box is.
    q = forms.CharField(required=False)
    state = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, states: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Any state"), *states.items()]

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:100]


class VisitForm(forms.Form):
    visit_date = forms.DateField(
        label="Visit date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the visit date as a date, e.g. 17/05/2027."},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # Drawn by {% crispy %} in a row beside the page's "Add visit" button.
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field("visit_date", wrapper_class="col-auto"))

    def clean_visit_date(self) -> dt.date:
        visit = self.cleaned_data["visit_date"]
        if visit < self.today:
            raise ValidationError("The visit date is in the past.")
        refusal = visit_date_refusal(visit, today=self.today)
        if refusal:
            raise ValidationError(refusal)
        return visit


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why does the form need reopening?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the audit trail.",
    )
