"""The foot map component: one drawing for the form, the case page and PDF letters."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string

from intake.questions import REGION_LABELS

MARKED = "#e8590c"


def _render(**context: object) -> str:
    return render_to_string("components/foot_map.html", context)


def _fills(html: str) -> dict[str, set[str]]:
    """Region code -> the fills it is drawn with (a region may appear in both views)."""
    fills: dict[str, set[str]] = {}
    for match in re.finditer(r'data-region="([a-z0-9_]+)"[^>]*?fill="(#[0-9a-f]{6})"', html):
        fills.setdefault(match.group(1), set()).add(match.group(2))
    return fills


def test_it_fills_the_marked_regions_and_only_those() -> None:
    html = _render(regions=["heel", "interspace_3_4"], side="left")
    fills = _fills(html)
    assert fills["heel"] == {MARKED}
    assert fills["interspace_3_4"] == {MARKED}
    for code in ("toes", "forefoot", "interspace_2_3", "sole", "dorsum"):
        assert fills[code] == {"#ffffff"}, code


def test_its_clickable_regions_are_exactly_the_schema_codes() -> None:
    html = _render(interactive=True, regions=[], side="left")
    drawn = set(re.findall(r'data-region="([a-z0-9_]+)"', html))
    boxes = re.findall(r'type="checkbox" name="regions" value="([a-z0-9_]+)"', html)
    assert drawn | {"whole_foot"} == set(REGION_LABELS)
    assert boxes == [*REGION_LABELS, "not_sure"]  # and "I'm not sure where", never stored


def test_it_lists_the_marked_regions_in_words_for_black_and_white_print() -> None:
    html = _render(regions=["toes", "dorsum"], side="right")
    legend = html.split("<figcaption", 1)[1]
    assert "Right foot, marked:" in legend
    assert "<li>Toes</li>" in legend
    assert "<li>Top of the foot</li>" in legend
    assert "Heel" not in legend


def test_the_whole_foot_fills_every_region() -> None:
    fills = _fills(_render(regions=["whole_foot"], side="left"))
    assert all(colours == {MARKED} for colours in fills.values())


@pytest.mark.parametrize(("side", "feet"), [("left", 1), ("right", 1), ("both", 2), (None, 1)])
def test_it_draws_one_foot_or_both(side: str | None, feet: int) -> None:
    html = _render(regions=[], side=side)
    assert html.count("<svg") == 2 * feet  # each foot from underneath and from above


def test_it_says_so_when_nothing_is_marked() -> None:
    assert "no area marked" in _render(regions=[], side="left")


def test_it_needs_no_css_and_uses_no_inline_style() -> None:
    html = _render(regions=["heel"], side="both") + _render(interactive=True, regions=["heel"])
    assert "style=" not in html
    assert "<style" not in html
    assert 'width="130" height="280"' in html  # sized by attributes, as a PDF needs


def test_the_interactive_map_keeps_the_checked_boxes() -> None:
    html = _render(interactive=True, regions=["heel", "toes"], side="right")
    assert re.search(r'value="heel" id="[^"]+"\s+checked', html)
    assert not re.search(r'value="sole" id="[^"]+"\s+checked', html)
    # The right foot is shown, the left one kept for a change of side.
    assert 'data-foot-map-drawing="left" hidden' in html


def test_it_renders_in_a_pdf(tmp_path) -> None:
    from weasyprint import HTML

    pdf = HTML(string=f"<html><body>{_render(regions=['sole'], side='both')}</body></html>")
    assert pdf.write_pdf()[:4] == b"%PDF"
