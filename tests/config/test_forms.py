"""Forms render through crispy-forms, and crispy draws each field with components/field.html."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.template import engines


class _NameForm(forms.Form):
    name = forms.CharField(label="Your name", help_text="As on your card.")


def _render(source: str, **context: object) -> str:
    html = engines["django"].from_string(source).render(context)
    return re.sub(r">\s+<", "><", " ".join(html.split()))


def test_crispy_draws_a_field_exactly_as_the_one_field_template_does() -> None:
    form = _NameForm(data={})

    crispy = _render("{% load crispy_forms_tags %}{{ form.name|as_crispy_field }}", form=form)

    assert crispy == _render("{% include 'components/field.html' with field=f %}", f=form["name"])


def test_a_field_drawn_by_crispy_is_tied_to_its_help_and_its_error() -> None:
    html = _render("{% load crispy_forms_tags %}{{ form|crispy }}", form=_NameForm(data={}))

    assert 'aria-describedby="id_name-help id_name-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'class="form-control is-invalid"' in html
    assert '<div class="form-text" id="id_name-help">As on your card.</div>' in html
    assert 'id="id_name-error">This field is required.</div>' in html


def test_a_crispy_layout_gives_the_field_its_wrapper_and_label_classes() -> None:
    form = _NameForm()
    form.helper = FormHelper(form)
    form.helper.form_tag = False
    form.helper.disable_csrf = True
    form.helper.label_class = "h6"
    form.helper.layout = Layout(Field("name", wrapper_class="col-auto"))

    html = _render("{% load crispy_forms_tags %}{% crispy form %}", form=form)

    assert html.startswith('<div class="col-auto"><label class="form-label h6" for="id_name">')
    assert "csrfmiddlewaretoken" not in html
