"""The audit app is a bottom floor: it imports neither intake nor referrals (STYLE.md habit 7)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

AUDIT = Path(__file__).resolve().parents[2] / "audit"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def imports_from_above(path: Path) -> set[str]:
    """The modules of intake or referrals (the floors above accounts and audit) a file imports."""
    return {
        name for name in _imported_modules(path) if name.split(".")[0] in {"intake", "referrals"}
    }


@pytest.mark.parametrize(
    "path", sorted(AUDIT.rglob("*.py")), ids=lambda p: str(p.relative_to(AUDIT))
)
def test_the_audit_app_imports_no_app_above_it(path: Path) -> None:
    assert not imports_from_above(path)
