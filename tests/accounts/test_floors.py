"""The accounts app is a bottom floor: it imports neither intake nor referrals (STYLE.md habit 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.test_floors import imports_from_above

ACCOUNTS = Path(__file__).resolve().parents[2] / "accounts"


@pytest.mark.parametrize(
    "path", sorted(ACCOUNTS.rglob("*.py")), ids=lambda p: str(p.relative_to(ACCOUNTS))
)
def test_the_accounts_app_imports_no_app_above_it(path: Path) -> None:
    assert not imports_from_above(path)
