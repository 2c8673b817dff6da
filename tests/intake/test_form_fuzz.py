"""Random answers posted to every step: never a server error, never an invalid stored history."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.answers import history_from_answers
from intake.models import Intake
from intake.questions import STEPS
from intake.triage import validate_history

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12
)  # surrogates cannot be sent
_NUMBERISH = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "1,5", "1e309", "nan", "-0", "0x10", "٣", "12 km", "9" * 50]),
)


def _value_for(question):
    codes = list(question.choices) or ["yes"]
    single = st.one_of(st.sampled_from(codes), _TEXT, _NUMBERISH)
    if question.kind in ("multi", "regions"):
        return st.lists(st.one_of(st.sampled_from(codes), _TEXT), max_size=5)
    return single


def _post_for(step):
    fields = {q.key: st.one_of(st.none(), _value_for(q)) for q in step.questions}
    extra = st.dictionaries(_TEXT.filter(bool), _TEXT, max_size=2)
    go = st.sampled_from(["next", "back", "", "sideways"])
    return st.tuples(st.fixed_dictionaries(fields), extra, go)


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.slug)
def test_random_answers_never_break_the_form_or_the_history(step, patient_client, visit) -> None:
    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(_post_for(step))
    def post(drawn) -> None:
        fields, extra, go = drawn
        data = {key: value for key, value in (extra | fields).items() if value is not None}
        data["go"] = go
        response = patient_client.post(f"/form/{step.slug}/", data)
        assert response.status_code in (200, 302)
        stored = Intake.objects.get(pk=visit.pk)
        validate_history(history_from_answers(stored.answers))

    post()
