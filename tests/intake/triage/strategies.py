"""Hypothesis strategies for histories, built from the schema file itself."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from intake.triage.schema import SCHEMA


def valid_values(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Any value `schema` accepts, including the edges (bounds, 2.0 as an integer)."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema["type"]
    if kind == "object":
        return st.fixed_dictionaries(
            {}, optional={name: valid_values(sub) for name, sub in schema["properties"].items()}
        )
    if kind == "array":
        return st.lists(valid_values(schema["items"]), unique=schema.get("uniqueItems", False))
    if kind == "boolean":
        return st.booleans()
    low, high = schema["minimum"], schema["maximum"]
    integers = st.integers(low, high)
    if kind == "integer":
        return integers | integers.map(float)
    return integers | st.floats(low, high, allow_nan=False, allow_infinity=False)


histories = valid_values(SCHEMA)

_SECTIONS = {name: sub for name, sub in SCHEMA["properties"].items() if "properties" in sub}
_NAMES = sorted(
    {*SCHEMA["properties"], *(name for sub in _SECTIONS.values() for name in sub["properties"])}
)
_WORDS = sorted(
    {value for sub in _SECTIONS.values() for leaf in sub["properties"].values()
     for value in leaf.get("enum", leaf.get("items", {}).get("enum", []))}
)  # fmt: skip

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(_WORDS)
    | st.text(max_size=6)
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(_NAMES) | st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=8,
)


@st.composite
def broken_histories(draw: st.DrawFn) -> dict[str, Any]:
    """A valid history with one field (known or not, at the root or in a section) set to any
    JSON value: mostly invalid, sometimes still valid."""
    history = draw(histories)
    section = draw(st.sampled_from([None, *sorted(_SECTIONS)]))
    if section is None:
        target, known = history, list(SCHEMA["properties"])
    else:
        target = history.setdefault(section, {})
        known = list(_SECTIONS[section]["properties"])
    name = draw(st.sampled_from(known) | st.text(max_size=6))
    target[name] = draw(json_values)
    return history


documents = histories | broken_histories() | json_values
