"""The layers hold: core is pure, the sandbox stands alone like Telegram's servers, and the
production bot runs without the sandbox or the demo."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

RULES = {
    "core": {"aiogram", "sqlalchemy", "apscheduler", "alembic", "bot", "storage", "scheduler",
             "sandbox", "demo", "documents", "docx", "openpyxl", "matplotlib"},
    # Documents are built from core's records; the bot and the CLI hand them on.
    "documents": {"aiogram", "sqlalchemy", "apscheduler", "alembic", "bot", "storage",
                  "scheduler", "sandbox", "demo"},
    "sandbox": {"core", "bot", "storage", "scheduler", "bench", "demo"},
    "storage": {"bot", "aiogram", "scheduler", "sandbox", "demo"},
    "scheduler": {"bot", "aiogram", "storage", "sandbox", "demo"},
    "bot": {"sandbox", "demo"},
}
# The CLI imports the demo inside the `demo` command alone, so `python -m bot run` never loads it.
ALLOWED = {"bot/cli.py": {"demo"}}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(RULES))
def test_package_imports_only_what_its_layer_allows(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        allowed = ALLOWED.get(path.relative_to(ROOT).as_posix(), set())
        bad = imported_roots(path) & RULES[package] - allowed
        if bad:
            offenders.append(f"{path.relative_to(ROOT)}: {', '.join(sorted(bad))}")
    assert not offenders, "layer broken:\n" + "\n".join(offenders)


def test_import_linter_contracts_hold() -> None:
    script = Path(sys.executable).parent / "lint-imports"
    if not script.exists():
        pytest.skip("import-linter is a dev dependency: pip install -e '.[dev]'")
    done = subprocess.run([str(script), "--no-cache"], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " broken" in done.stdout and "0 broken" in done.stdout


def test_use_cases_never_commit() -> None:
    """Whoever opens a unit of work commits it (README, "Transactions"); a use case that
    committed would split one tap's state, audit entry and inbox mark into two transactions."""
    offenders = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("commit", "rollback")):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "use cases commit:\n" + "\n".join(offenders)


def test_nothing_registers_itself_on_import() -> None:
    """Features are listed in bot/app.py; a package __init__ holds no code."""
    for init in sorted((ROOT / "core").rglob("__init__.py")):
        body = ast.parse(init.read_text(encoding="utf-8")).body
        code = [n for n in body if not (isinstance(n, ast.Expr)
                                        and isinstance(n.value, ast.Constant))]
        assert not code, f"{init.relative_to(ROOT)} runs code on import"
