"""How every form field is drawn: one template (templates/components/field.html) and one bound
field that gives each input its Bootstrap class and its accessibility wiring.

Forms render through crispy-forms, whose Bootstrap 5 field template the project overrides
(templates/bootstrap5/field.html) to include components/field.html; that template draws each
input with `{{ field }}`, so the classes and aria below still come from this bound field.

Django 5.2 already marks an input with errors `aria-invalid="true"` and points its
`aria-describedby` at its help and its errors; here only the ids change (`<id>-help`,
`<id>-error`, which the patient form, its error summary and the browser tests use) and the
Bootstrap classes are chosen from the widget, so templates never write an input by hand.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

_CHECK_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


def _bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, _CHECK_WIDGETS):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class BoundField(forms.BoundField):
    @property
    def aria_describedby(self) -> str | None:
        if self.field.widget.attrs.get("aria-describedby"):
            return None  # set by the form itself: it knows better
        described = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                described.append(f"{self.auto_id}-help")
            if self.errors:
                described.append(f"{self.auto_id}-error")
        return " ".join(described)

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        css = attrs.get("class") or widget.attrs.get("class") or _bootstrap_class(widget)
        # A group of options (radio buttons, ticks) is marked invalid on its fieldset, so each
        # option keeps its own colours.
        if self.errors and not self.use_fieldset and "is-invalid" not in css.split():
            css = f"{css} is-invalid"
        attrs["class"] = css
        return attrs


class FormRenderer(TemplatesSetting):
    """Forms and fields render with the project's templates (settings.TEMPLATES)."""

    form_template_name = "django/forms/div.html"
    field_template_name = "components/field.html"
    bound_field_class = BoundField
