"""The insights room's layers point one way: background and tasks call the services, the services
call neither (they send ``signals.landscape_stale``); and insights asks the phase registry which
phases are Meinungsbild phases instead of comparing type names."""

from __future__ import annotations

import ast
from pathlib import Path

from konzeptk.core import importgraph

INSIGHTS = Path(importgraph.ROOT) / "insights"


def _insights_edges() -> list[tuple[str, str]]:
    return [
        (i.source, i.target)
        for i in importgraph.all_imports()
        if i.source.startswith("konzeptk.insights")
        and i.target.startswith("konzeptk.insights")
        and not i.type_checking
        and not importgraph.is_test_or_migration(i.source)
    ]


def test_no_import_cycle_in_insights() -> None:
    assert importgraph.cycles(_insights_edges()) == []


def test_services_do_not_know_who_recomputes() -> None:
    targets = {t for s, t in _insights_edges() if s == "konzeptk.insights.services"}
    assert not targets & {"konzeptk.insights.background", "konzeptk.insights.tasks"}


def test_only_the_phases_module_names_phase_types() -> None:
    names = {"meinungsbild", "ballot", "idea_collection", "discussion", "prioritisation"}
    found = []
    for path in sorted(INSIGHTS.rglob("*.py")):
        relative = path.relative_to(INSIGHTS)
        if relative.parts[0] in {"tests", "migrations"} or relative == Path("phases.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                found.append(f"{relative}:{node.lineno} {node.value!r}")
    assert found == []
