"""The training-load chart: weekly distance and longest run, a month ago against now.

`training_load_chart(history)` turns a submitted history into a `TrainingLoadChart`: plain
numbers and strings for every bar, threshold line, tick and label, already laid out in SVG user
units. `templates/components/training_load_chart.html` draws it with SVG attributes only (no
inline style, so the Content-Security-Policy allows it, and WeasyPrint draws the same markup in
a PDF letter):

    {% include "components/training_load_chart.html" with chart=chart %}

The thresholds are the triage spec's: weekly km >= 1.3 x the earlier week, longest run > 1.1 x
the earlier longest run. Whether a bar is a spike comes from the engine's own `derive_facts`, so
the chart and the rules can never disagree at a boundary. A spike is shown by colour, by a
hatched pattern and by the word "spike", never by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from intake.triage import History
from intake.triage.facts import (
    LONGEST_RUN_SPIKE_RATIO,
    WEEKLY_SPIKE_RATIO,
    LoadChange,
    derive_facts,
)
from intake.triage.history import Number

WIDTH = 480
HEIGHT = 300
LEFT = 44  # room for the km ticks
RIGHT = WIDTH - 12
TOP = 44  # room for the title and the value label of the tallest bar
BOTTOM = HEIGHT - 76  # room for bar labels, group titles and notes
BAR_WIDTH = 56
BAR_GAP = 14

# A label's box around its baseline, in user units, at the chart's 11-unit font: no line may
# cross it (the spike limit used to run through the "a month ago" value of a longest run).
LABEL_ASCENT = 9
LABEL_DESCENT = 3
LABEL_CLEARANCE = 2
CHAR_WIDTH = 6.6  # DejaVu Sans's average advance at 11 units, for the knock-out behind a label

EARLIER_FILL = "#adb5bd"
LATER_FILL = "#0d6efd"
SPIKE_FILL = "#b02a37"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # "a month ago", "now"
    value: Number | None
    value_label: str  # "30 km", or "not given"
    x: float
    y: float
    width: float
    height: float
    fill: str
    spike: bool
    label_y: float  # the value label's baseline: above the bar and clear of the spike limit

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def label_text(self) -> str:
        return f"{self.value_label} (spike)" if self.spike else self.value_label

    @property
    def knockout(self) -> tuple[float, float, float, float]:
        """x, y, width, height of the white box behind the value label, so the grid lines
        pass behind the figure instead of through it."""
        width = round(len(self.label_text) * CHAR_WIDTH + 4, 1)
        return (
            round(self.center - width / 2, 1),
            round(self.label_y - LABEL_ASCENT - 1, 1),
            width,
            LABEL_ASCENT + LABEL_DESCENT + 2,
        )


@dataclass(frozen=True, slots=True)
class Threshold:
    x1: float
    x2: float
    y: float
    label: str  # "1.3x", drawn at the right end of the line
    limit_label: str  # "limit 1.3x = 39 km", under the group
    label_x: float
    label_y: float


@dataclass(frozen=True, slots=True)
class Group:
    title: str  # "Weekly distance"
    bars: tuple[Bar, ...]
    threshold: Threshold | None
    title_x: float
    note: str  # "spike: x1.67", "no spike", "not enough figures"
    spike: bool


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class PlotArea:
    """The SVG canvas and the plot's edges inside it, in user units: what every chart has."""

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float


TRAINING_LOAD_AREA = PlotArea(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM)


@dataclass(frozen=True, slots=True)
class TrainingLoadChart(PlotArea):
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]
    title: str
    description: str  # the whole chart in words, for screen readers and text-only letters
    bar_label_y: float
    group_title_y: float
    note_y: float
    limit_y: float
    spike_fill: str = SPIKE_FILL


def _ratio(threshold: Any) -> float:
    """The engine's threshold (an exact numerator/denominator pair) as a float for drawing."""
    return threshold.numerator / threshold.denominator


WEEKLY_RATIO = _ratio(WEEKLY_SPIKE_RATIO)
LONGEST_RUN_RATIO = _ratio(LONGEST_RUN_SPIKE_RATIO)


@dataclass(frozen=True, slots=True)
class Load:
    """One group of bars: the history's two training figures (fields of its training section),
    the engine's fact that compares them (a field of derive_facts' result) and its spike ratio."""

    title: str
    earlier: str
    later: str
    change: str
    ratio: float


LOADS = (
    Load("Weekly distance", "weekly_km_4_weeks_ago", "weekly_km_now", "weekly_km", WEEKLY_RATIO),
    Load(
        "Longest run",
        "longest_run_km_prior_30_days",
        "longest_run_km_recent",
        "longest_run",
        LONGEST_RUN_RATIO,
    ),
)


def _km(value: Number) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _axis(value: float) -> tuple[float, float]:
    """A round axis maximum above value and its tick step (1, 2 or 5 times a power of ten),
    with at most five steps."""
    value = max(value, 1.0)
    magnitude = 10 ** math.floor(math.log10(value / 5))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if value / step <= 5:
            break
    return math.ceil(value / step) * step, step


def _label_baseline(*, top_of_bar: float, line_y: float | None) -> float:
    """A value label's baseline: just above its bar, or, when the spike limit would cross the
    label there, just above the limit line (still above the bar, which is below the line)."""
    baseline = round(top_of_bar - 6, 1)
    if line_y is None or not label_crossed(baseline, line_y):
        return baseline
    return round(line_y - LABEL_DESCENT - LABEL_CLEARANCE - 1, 1)


def label_crossed(baseline: float, line_y: float) -> bool:
    """Whether a horizontal line at line_y runs through a value label (with its clearance)."""
    return (
        baseline - LABEL_ASCENT - LABEL_CLEARANCE
        <= line_y
        <= (baseline + LABEL_DESCENT + LABEL_CLEARANCE)
    )


def _group(
    *,
    title: str,
    earlier: Number | None,
    later: Number | None,
    change: LoadChange | None,
    ratio: float,
    ratio_text: str,
    left: float,
    scale: float,
) -> Group:
    limit_y = None
    if change is not None and change.earlier:
        limit_y = round(BOTTOM - float(change.earlier) * ratio * scale, 1)
    bars = []
    for index, (label, value, fill) in enumerate(
        (("a month ago", earlier, EARLIER_FILL), ("now", later, LATER_FILL))
    ):
        spike = index == 1 and change is not None and change.spike
        height = 0.0 if value is None else round(float(value) * scale, 1)
        y = round(BOTTOM - height, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                value_label="not given" if value is None else f"{_km(value)} km",
                x=round(left + index * (BAR_WIDTH + BAR_GAP), 1),
                y=y,
                width=BAR_WIDTH,
                height=height,
                fill=SPIKE_FILL if spike else fill,
                spike=spike,
                label_y=_label_baseline(top_of_bar=y, line_y=limit_y),
            )
        )
    threshold = None
    if change is not None and change.earlier and limit_y is not None:
        limit = float(change.earlier) * ratio
        y = limit_y
        x2 = round(left + 2 * BAR_WIDTH + BAR_GAP + 6, 1)
        threshold = Threshold(
            x1=round(left - 6, 1),
            x2=x2,
            y=y,
            label=ratio_text,
            limit_label=f"spike limit {ratio_text} = {_km(round(limit, 1))} km",
            label_x=round(x2 + 3, 1),
            label_y=round(y + 4, 1),
        )
    if change is None:
        note = "needs both figures"
    elif change.ratio is None:
        note = "spike: from 0 km" if change.spike else "no spike"
    else:
        note = f"spike: x{change.ratio:.2f}" if change.spike else f"no spike: x{change.ratio:.2f}"
    return Group(
        title=title,
        bars=tuple(bars),
        threshold=threshold,
        title_x=round(left + BAR_WIDTH + BAR_GAP / 2, 1),
        note=note,
        spike=change is not None and change.spike,
    )


def _describe(groups: tuple[Group, ...]) -> str:
    parts = []
    for group in groups:
        earlier, later = group.bars
        parts.append(
            f"{group.title}: {earlier.value_label} a month ago, {later.value_label} now"
            f" ({group.note})."
        )
    return " ".join(parts)


def training_load_chart(history: History | Mapping[str, Any] | None) -> TrainingLoadChart | None:
    """The chart for one history, or None when the patient gave no training figures at all."""
    if history is None:
        return None
    if not isinstance(history, History):
        history = History.from_dict(history)
    training = history.training
    figures = [getattr(training, name) for load in LOADS for name in (load.earlier, load.later)]
    if all(value is None for value in figures):
        return None
    facts = derive_facts(history)
    thresholds = [float(getattr(training, load.earlier) or 0) * load.ratio for load in LOADS]
    top_value, step = _axis(max([float(v) for v in figures if v is not None] + thresholds))
    scale = (BOTTOM - TOP) / top_value
    group_width = 2 * BAR_WIDTH + BAR_GAP
    space = (RIGHT - LEFT - 2 * group_width) / 3
    groups = tuple(
        _group(
            title=load.title,
            earlier=getattr(training, load.earlier),
            later=getattr(training, load.later),
            change=getattr(facts, load.change),
            ratio=load.ratio,
            ratio_text=f"{load.ratio:g}x",
            left=LEFT + (index + 1) * space + index * group_width,
            scale=scale,
        )
        for index, load in enumerate(LOADS)
    )
    ticks = tuple(
        Tick(y=round(BOTTOM - step * i * scale, 1), label=f"{step * i:g}")
        for i in range(round(top_value / step) + 1)
    )
    return TrainingLoadChart(
        **asdict(TRAINING_LOAD_AREA),
        groups=groups,
        ticks=ticks,
        title="Training load: a month ago and now (km)",
        description=_describe(groups),
        bar_label_y=BOTTOM + 16,
        group_title_y=BOTTOM + 36,
        note_y=BOTTOM + 52,
        limit_y=BOTTOM + 67,
    )


# --- the self-help timeline: numbness 0-10 at each check-in -------------------------------------

NUMBNESS_AREA = PlotArea(width=480, height=200, left=36, right=480 - 24, top=30, bottom=200 - 40)


@dataclass(frozen=True, slots=True)
class ScorePoint:
    label: str  # "Pre-visit", "Follow-up 1"
    score: int | None  # 0-10, None when not asked
    x: float
    y: float  # where the dot sits (the axis for a missing score)
    value_label: str  # "4/10", "not asked"


@dataclass(frozen=True, slots=True)
class NumbnessChart(PlotArea):
    points: tuple[ScorePoint, ...]
    ticks: tuple[Tick, ...]
    line: str  # the SVG polyline's points through the scored dots
    title: str
    description: str
    label_y: float


def numbness_chart(scores: list[tuple[str, int | None]]) -> NumbnessChart:
    """Numbness 0-10 at each point of the timeline (label, score), left to right, in SVG user
    units; `templates/components/numbness_chart.html` draws it. A point without a score (the
    pre-visit form asks none) sits on the axis, labelled "not asked", and breaks no line."""
    area = NUMBNESS_AREA
    scale = (area.bottom - area.top) / 10
    step = (area.right - area.left - 40) / max(len(scores) - 1, 1)
    points = []
    for index, (label, score) in enumerate(scores):
        x = round(area.left + 20 + index * step, 1)
        y = round(area.bottom - (score or 0) * scale, 1)
        value_label = "not asked" if score is None else f"{score}/10"
        points.append(ScorePoint(label, score, x, y, value_label))
    scored = [p for p in points if p.score is not None]
    described = "; ".join(f"{p.label}: {p.value_label}" for p in points)
    return NumbnessChart(
        **asdict(area),
        points=tuple(points),
        ticks=tuple(
            Tick(y=round(area.bottom - value * scale, 1), label=str(value)) for value in (0, 5, 10)
        ),
        line=" ".join(f"{p.x},{p.y}" for p in scored),
        title="Numbness (0 none, 10 worst) at each check-in",
        description=f"Numbness scores: {described}.",
        label_y=area.bottom + 18,
    )
