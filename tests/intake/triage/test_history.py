"""The History tree mirrors the schema and applies its defaults."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from intake.triage import History
from intake.triage.schema import SCHEMA


def _schema_default(leaf: dict[str, Any]) -> Any:
    """What an omitted field means, per the schema's description."""
    if "default" in leaf:
        return leaf["default"]
    return {"boolean": False, "array": ()}.get(leaf.get("type"))


def _section_names() -> list[str]:
    return [name for name, sub in SCHEMA["properties"].items() if "properties" in sub]


def test_its_fields_are_the_schemas_properties() -> None:
    fields = [field.name for field in dataclasses.fields(History)]

    assert fields == list(SCHEMA["properties"])


@pytest.mark.parametrize("section", _section_names())
def test_each_section_has_the_schemas_fields_and_defaults(section: str) -> None:
    properties = SCHEMA["properties"][section]["properties"]
    instance = getattr(History(), section)

    defaults = {field.name: getattr(instance, field.name) for field in dataclasses.fields(instance)}
    assert defaults == {name: _schema_default(leaf) for name, leaf in properties.items()}


def test_an_empty_history_is_all_defaults() -> None:
    assert History.from_dict({}) == History()


def test_omitted_fields_keep_their_defaults_beside_given_ones() -> None:
    history = History.from_dict({"footwear": {"lacing": "tight"}})

    assert (history.footwear.lacing, history.footwear.fit) == ("tight", "snug")


def test_lists_become_tuples() -> None:
    history = History.from_dict({"symptoms": {"regions": ["toes", "heel"]}})

    assert history.symptoms.regions == ("toes", "heel")


def test_whole_floats_become_ints() -> None:
    history = History.from_dict({"symptoms": {"weeks_since_onset": 2.0}})

    assert type(history.symptoms.weeks_since_onset) is int


def test_it_is_frozen() -> None:
    history = History.from_dict({"footwear": {"lacing": "tight"}})

    with pytest.raises(dataclasses.FrozenInstanceError):
        history.footwear.lacing = "loose"  # type: ignore[misc]


def test_equal_histories_hash_alike() -> None:
    one = History.from_dict({"symptoms": {"regions": ["toes"]}})
    two = History.from_dict({"symptoms": {"regions": ["toes"]}})

    assert hash(one) == hash(two)
