"""Each feature builds its notices in one place, so a tap's data is not passed back and forth
between the use case and the notice: dispatch in core/dispatch/notify/, warnings in
core/warnings/notices.py, roll-calls in core/rollcall/notices.py, information reports in
core/reports/notices.py, and so on: each feature's notices module (OWNERS)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

OWNERS = {
    "core/dispatch": "core/dispatch/notify",
    "core/warnings": "core/warnings/notices.py",
    "core/rollcall": "core/rollcall/notices.py",
    "core/reports": "core/reports/notices.py",
    "core/traffic": "core/traffic/notices.py",
    "core/consult": "core/consult/notices.py",
    "core/sitrep": "core/sitrep/notices.py",
}
BUILDERS = frozenset({"Notice", "tell"})


def builder_calls(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else (
            func.attr if isinstance(func, ast.Attribute) else "")
        if name in BUILDERS:
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("feature", sorted(OWNERS))
def test_only_the_notices_module_builds_notices(feature: str) -> None:
    owner = ROOT / OWNERS[feature]
    offenders = []
    for path in sorted((ROOT / feature).rglob("*.py")):
        if path == owner or owner in path.parents:
            continue
        offenders += [f"{path.relative_to(ROOT)}:{n}" for n in builder_calls(path)]
    assert not offenders, f"notices built outside {OWNERS[feature]}:\n" + "\n".join(offenders)


def test_the_check_sees_a_notice_built() -> None:
    """The owners do build notices: a check that found none anywhere would prove nothing."""
    for owner in OWNERS.values():
        paths = (ROOT / owner).rglob("*.py") if (ROOT / owner).is_dir() else [ROOT / owner]
        assert any(builder_calls(p) for p in paths), owner
