"""The spec's derived facts, computed once per history in `derive_facts`."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from intake.triage.history import History, Number

SYSTEMIC_CONDITIONS = frozenset(
    {"diabetes", "thyroid", "b12_deficiency", "kidney_disease", "chemotherapy", "heavy_alcohol"}
)
NEUROMA_INTERSPACES = frozenset({"interspace_2_3", "interspace_3_4"})
HEEL_OR_SOLE = frozenset({"heel", "sole"})
DERMATOMAL_REGIONS = frozenset({"heel", "sole", "dorsum"})  # the S1 and L5 areas of the foot
AT_REST = frozenset({"also_at_rest", "constant"})


class Ratio(NamedTuple):
    """A threshold ratio as an exact fraction."""

    numerator: int
    denominator: int


# The load-increase thresholds (Nielsen 2014; Frandsen 2025).
WEEKLY_SPIKE_RATIO = Ratio(13, 10)  # weekly km: a spike at >= 1.3
LONGEST_RUN_SPIKE_RATIO = Ratio(11, 10)  # longest run: a spike only at > 1.1


def _exact(value: Number) -> int | Decimal:
    """The number as the patient wrote it: 0.13 is 13/100, not the nearest binary float."""
    if isinstance(value, int):
        return value
    return Decimal(repr(value))


class LoadChange(NamedTuple):
    """One pair of training figures, earlier and later, both given."""

    earlier: Number
    later: Number
    spike: bool

    @property
    def ratio(self) -> float | None:
        """later / earlier, or None when the earlier figure is 0."""
        return self.later / self.earlier if self.earlier else None


def _load_change(
    earlier: Number | None, later: Number | None, threshold: Ratio, *, inclusive: bool
) -> LoadChange | None:
    """The change between two figures; None when either is missing (a half pair never spikes).

    The ratio is compared exactly (no float rounding at the boundary): from 0 to anything above
    0 is a spike, 0 to 0 is not.
    """
    if earlier is None or later is None:
        return None
    if earlier == 0:
        return LoadChange(earlier, later, spike=later > 0)
    # later / earlier against n / d, cross-multiplied so that it stays exact.
    numerator, denominator = threshold
    scaled_later = _exact(later) * denominator
    scaled_earlier = _exact(earlier) * numerator
    spike = scaled_later >= scaled_earlier if inclusive else scaled_later > scaled_earlier
    return LoadChange(earlier, later, spike=spike)


class Facts(NamedTuple):
    """What the rules read besides the history itself. Names follow the spec."""

    weekly_km: LoadChange | None
    longest_run: LoadChange | None
    mileage_spike: bool
    self_help_failed: bool
    neuroma_pattern: bool
    heel_or_sole: bool
    dermatomal: bool
    radicular: bool
    systemic_risk: bool
    at_rest: bool


def derive_facts(history: History) -> Facts:
    """Compute every derived fact of the spec for one history."""
    symptoms = history.symptoms
    regions = symptoms.regions
    training = history.training
    back = history.back

    weekly_km = _load_change(
        training.weekly_km_4_weeks_ago,
        training.weekly_km_now,
        WEEKLY_SPIKE_RATIO,
        inclusive=True,
    )
    longest_run = _load_change(
        training.longest_run_km_prior_30_days,
        training.longest_run_km_recent,
        LONGEST_RUN_SPIKE_RATIO,
        inclusive=False,
    )
    mileage_spike = (weekly_km is not None and weekly_km.spike) or (
        longest_run is not None and longest_run.spike
    )

    self_help = history.self_help
    self_help_failed = (
        self_help.outcome == "no_change" and self_help.weeks is not None and self_help.weeks >= 6
    )

    neuroma_pattern = not NEUROMA_INTERSPACES.isdisjoint(regions) and (
        symptoms.clicking_or_pebble_feeling
        or "burning" in symptoms.sensations
        or symptoms.relieved_by_removing_shoe
    )
    dermatomal = not DERMATOMAL_REGIONS.isdisjoint(regions)
    radicular = back.pain_radiates_below_knee or (
        dermatomal and (back.low_back_pain or back.known_disc_problem)
    )

    return Facts(
        weekly_km=weekly_km,
        longest_run=longest_run,
        mileage_spike=mileage_spike,
        self_help_failed=self_help_failed,
        neuroma_pattern=neuroma_pattern,
        heel_or_sole=not HEEL_OR_SOLE.isdisjoint(regions),
        dermatomal=dermatomal,
        radicular=radicular,
        systemic_risk=not SYSTEMIC_CONDITIONS.isdisjoint(history.medical.conditions),
        at_rest=symptoms.when in AT_REST,
    )
