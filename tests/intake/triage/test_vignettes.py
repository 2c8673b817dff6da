"""The clinical vignettes: every expected field, lists compared as sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from intake.triage import triage

VIGNETTES = Path(__file__).parents[3] / "intake" / "triage" / "clinical" / "vignettes"


def _vignettes() -> list[Any]:
    cases = [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(VIGNETTES.glob("*.json"))
    ]
    return [pytest.param(case, id=case["name"]) for case in cases]


def _as_compared(value: Any) -> Any:
    return set(value) if isinstance(value, list | tuple) else value


def test_it_finds_the_vignettes() -> None:
    assert len(_vignettes()) >= 12


@pytest.mark.parametrize("vignette", _vignettes())
def test_each_vignette_gets_its_expected_triage(vignette: dict[str, Any]) -> None:
    result = triage(vignette["history"]).to_dict()

    got = {field: _as_compared(result[field]) for field in vignette["expected"]}
    expected = {field: _as_compared(value) for field, value in vignette["expected"].items()}
    assert got == expected
