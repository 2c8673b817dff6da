"""The training-load chart: built from the history, drawn as SVG without inline styles."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from referrals.charts import LABEL_ASCENT, LABEL_DESCENT, label_crossed, training_load_chart
from tests.referrals.factories import vignette


def _training(**figures: float) -> dict:
    return {"training": figures}


def test_no_training_figures_gives_no_chart() -> None:
    assert training_load_chart(vignette("cauda-equina-red-flag")) is None
    assert training_load_chart(None) is None
    assert training_load_chart(_training(forefoot_slapping=True)) is None


def test_the_thresholds_are_the_specs_1_3_and_1_1() -> None:
    chart = training_load_chart(vignette("marathon-build-up"))

    weekly, longest = chart.groups
    assert weekly.threshold.label == "1.3x"
    assert weekly.threshold.limit_label == "spike limit 1.3x = 39 km"
    assert longest.threshold.label == "1.1x"
    assert longest.threshold.limit_label == "spike limit 1.1x = 19.8 km"


def test_a_spike_is_marked_by_more_than_colour() -> None:
    chart = training_load_chart(vignette("marathon-build-up"))

    svg = render_to_string("components/training_load_chart.html", {"chart": chart})

    assert chart.groups[0].spike
    assert chart.groups[0].bars[1].spike
    assert "50 km (spike)" in svg
    assert 'fill="url(#tlc-hatch)"' in svg
    assert "spike: x1.67" in svg


def test_the_line_sits_where_the_threshold_is_on_the_axis() -> None:
    chart = training_load_chart(_training(weekly_km_4_weeks_ago=20, weekly_km_now=20))

    weekly = chart.groups[0]
    km_per_unit = (chart.bottom - weekly.bars[0].y) / 20
    assert abs((chart.bottom - weekly.threshold.y) / km_per_unit - 26) < 0.2
    assert weekly.note == "no spike: x1.00"


def test_the_boundaries_follow_the_engine() -> None:
    at_weekly = training_load_chart(_training(weekly_km_4_weeks_ago=10, weekly_km_now=13))
    at_longest = training_load_chart(
        _training(longest_run_km_prior_30_days=10, longest_run_km_recent=11)
    )

    assert at_weekly.groups[0].spike is True
    assert at_longest.groups[1].spike is False


def test_from_zero_any_increase_is_a_spike_and_there_is_no_ratio_line() -> None:
    chart = training_load_chart(_training(weekly_km_4_weeks_ago=0, weekly_km_now=5))

    weekly = chart.groups[0]
    assert weekly.spike
    assert weekly.threshold is None
    assert weekly.note == "spike: from 0 km"


def test_a_missing_figure_is_said_not_drawn() -> None:
    chart = training_load_chart(_training(weekly_km_now=30))

    svg = render_to_string("components/training_load_chart.html", {"chart": chart})

    assert chart.groups[0].bars[0].value_label == "not given"
    assert chart.groups[0].note == "needs both figures"
    assert svg.count("<rect x=") == 1


def test_the_svg_uses_attributes_only_and_describes_itself() -> None:
    chart = training_load_chart(vignette("marathon-build-up"))

    svg = render_to_string("components/training_load_chart.html", {"chart": chart})

    assert "style=" not in svg
    assert "<style" not in svg
    assert 'role="img"' in svg
    assert "Weekly distance: 30 km a month ago, 50 km now (spike: x1.67)." in svg


def test_the_axis_is_round_and_above_every_bar_and_line() -> None:
    chart = training_load_chart(_training(weekly_km_4_weeks_ago=93, weekly_km_now=96))

    labels = [tick.label for tick in chart.ticks]
    assert float(labels[-1]) >= 93 * 1.3  # the 1.3x line of the earlier week
    assert all(re.fullmatch(r"\d+", label) for label in labels)
    assert min(bar.y for group in chart.groups for bar in group.bars) >= chart.top


def _crossed(bar, line_y: float) -> bool:
    return label_crossed(bar.label_y, line_y)


def test_the_1_1_limit_does_not_cross_the_18_km_label() -> None:
    chart = training_load_chart(vignette("marathon-build-up"))

    longest = chart.groups[1]
    assert longest.bars[0].value_label == "18 km"
    assert not _crossed(longest.bars[0], longest.threshold.y)


figures = st.one_of(st.none(), st.integers(min_value=0, max_value=300))


@given(figures, figures, figures, figures)
def test_no_value_label_is_crossed_by_a_limit_line_or_drawn_into_its_bar(a, b, c, d) -> None:
    chart = training_load_chart(
        _training(
            weekly_km_4_weeks_ago=a,
            weekly_km_now=b,
            longest_run_km_prior_30_days=c,
            longest_run_km_recent=d,
        )
    )
    for group in chart.groups if chart else ():
        for bar in group.bars:
            if bar.value is None:
                continue
            assert bar.label_y + LABEL_DESCENT <= bar.y  # above its own bar
            assert bar.label_y - LABEL_ASCENT > 20  # below the chart's title
            if group.threshold is not None:
                assert not _crossed(bar, group.threshold.y)
