"""The pre-visit history as a frozen dataclass tree, with the schema's defaults applied.

The fields mirror `clinical/intake-history.schema.json` one for one (a test walks the schema to
prove it): an omitted boolean is False, an omitted list is an empty tuple, an omitted choice is
the schema's default, and an omitted number is None ("not given", which is not the same as 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self

Number = int | float


class _Section:
    """A group of leaf fields that builds itself from an already valid JSON object."""

    _defaults: ClassVar[dict[str, Any]]  # field name -> default, set below the classes

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """The section with `data` over the defaults: lists become tuples, whole floats ints.

        jsonschema counts 2.0 as an integer, so a valid "weeks": 2.0 arrives as a float; keeping
        it as 2 lets the reason texts say "2 weeks" and changes no comparison.
        """
        # A frozen dataclass's __init__ sets each field through object.__setattr__, about 2 us a
        # section; valid input needs none of its work, so the instance dict is filled directly.
        # (So a __post_init__ added to a section would not run: add none.)
        section = object.__new__(cls)
        values = section.__dict__
        values.update(cls._defaults)
        for name, value in data.items():
            kind = type(value)
            if kind is list:
                value = tuple(value)
            elif kind is float and value.is_integer():
                value = int(value)
            values[name] = value
        return section


@dataclass(frozen=True)
class Symptoms(_Section):
    side: str = "left"
    regions: tuple[str, ...] = ()
    sensations: tuple[str, ...] = ()
    weeks_since_onset: int | None = None
    when: str = "only_running"
    minutes_into_run: int | None = None
    eases_within_minutes_of_stopping: bool = False
    relieved_by_removing_shoe: bool = False
    clicking_or_pebble_feeling: bool = False
    activities: tuple[str, ...] = ()
    lower_leg_tightness: bool = False


@dataclass(frozen=True)
class Footwear(_Section):
    fit: str = "snug"
    toe_box: str = "wide"
    lacing: str = "normal"
    socks: str = "medium"
    sole: str = "medium"


@dataclass(frozen=True)
class FootStructure(_Section):
    arch: str = "unknown"
    very_flexible_sole: bool = False


@dataclass(frozen=True)
class Training(_Section):
    weekly_km_now: Number | None = None
    weekly_km_4_weeks_ago: Number | None = None
    longest_run_km_recent: Number | None = None
    longest_run_km_prior_30_days: Number | None = None
    forefoot_slapping: bool = False


@dataclass(frozen=True)
class Injury(_Section):
    recent_injury: bool = False
    swelling: bool = False
    could_not_bear_weight_4_steps: bool = False
    bone_tenderness: tuple[str, ...] = ()


@dataclass(frozen=True)
class Back(_Section):
    low_back_pain: bool = False
    pain_radiates_below_knee: bool = False
    sciatica_both_legs: bool = False
    known_disc_problem: bool = False
    saddle_numbness: bool = False
    bladder_or_bowel_change: bool = False
    leg_weakness_or_foot_drop: bool = False
    progressive: bool = False


@dataclass(frozen=True)
class Medical(_Section):
    conditions: tuple[str, ...] = ()
    foot_cold_or_pale: bool = False
    calf_pain_when_walking: bool = False


@dataclass(frozen=True)
class SelfHelp(_Section):
    tried: tuple[str, ...] = ()
    weeks: int | None = None
    outcome: str = "not_tried"


@dataclass(frozen=True)
class PriorCare(_Section):
    inserts: str = "none"
    injection: str = "none"


@dataclass(frozen=True)
class History:
    """One patient's history. Build it with `History.from_dict` from a validated JSON object."""

    schema_version: str | None = None
    symptoms: Symptoms = Symptoms()
    footwear: Footwear = Footwear()
    foot_structure: FootStructure = FootStructure()
    training: Training = Training()
    injury: Injury = Injury()
    back: Back = Back()
    medical: Medical = Medical()
    self_help: SelfHelp = SelfHelp()
    prior_care: PriorCare = PriorCare()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> History:
        """Build the tree from a JSON object that `validate_history` has accepted.

        Nothing is checked here: an unknown field raises TypeError, a bad value passes through.
        """
        # Filled like a section's dict (see _Section.from_dict), for the same reason.
        history = object.__new__(cls)
        values = history.__dict__
        values.update(_HISTORY_DEFAULTS)
        for name, value in data.items():
            values[name] = _SECTIONS[name].from_dict(value) if name in _SECTIONS else value
        return history


_SECTIONS: dict[str, type[_Section]] = {
    "symptoms": Symptoms,
    "footwear": Footwear,
    "foot_structure": FootStructure,
    "training": Training,
    "injury": Injury,
    "back": Back,
    "medical": Medical,
    "self_help": SelfHelp,
    "prior_care": PriorCare,
}
for _section in _SECTIONS.values():
    _section._defaults = {f.name: f.default for f in fields(_section)}
_HISTORY_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(History)}
