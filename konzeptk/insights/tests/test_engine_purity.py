"""The engine must run without Django (worker, notebook, benchmark): no module under engine/ imports
Django or any part of the project outside the engine."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "engine"


def imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.append("." * node.level + (node.module or ""))
    return names


def test_engine_imports_neither_django_nor_the_rest_of_the_project():
    files = sorted(ENGINE.glob("*.py"))
    assert len(files) >= 7
    for path in files:
        for name in imported_modules(path):
            assert name != "django", (path.name, name)
            assert not name.startswith("django."), (path.name, name)
            if name.startswith("konzeptk"):
                assert name.startswith("konzeptk.insights.engine"), (path.name, name)
            if name.startswith(".."):
                raise AssertionError((path.name, name))
