"""The import graph of the project, read from the source with ``ast`` (nothing is imported).

Used by the architecture tests (``core/tests/test_architecture.py``): which room imports which, at
module level or inside a function, and which modules import each other in a circle. Pure Python,
no Django, so it also runs as a quick check outside the test suite.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "konzeptk"
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Import:
    """One imported name: ``source`` imports ``target`` in ``path`` at ``line``.

    ``target`` is the project module that is loaded (``konzeptk.participation.models`` for ``from
    konzeptk.participation.models import Idea``), or, outside the project, the imported dotted name.
    ``at_module_level`` is False inside a function (runs when called) and under ``if TYPE_CHECKING``
    (never runs); a class body counts as module level, it runs at import time.
    """

    source: str
    target: str
    path: Path
    line: int
    at_module_level: bool
    type_checking: bool

    @property
    def where(self) -> str:
        try:
            shown = self.path.relative_to(ROOT.parent)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}"


def module_name(path: Path, root: Path = ROOT) -> str:
    """``konzeptk/core/demo.py`` -> ``konzeptk.core.demo``; a package's ``__init__.py`` is the package."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package under ``root`` by dotted name (migrations included)."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" in path.parts or "static" in path.relative_to(root).parts:
            continue
        found[module_name(path, root)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Collector(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[ast.Import | ast.ImportFrom, bool, bool]] = []
        self._function_depth = 0
        self._type_checking_depth = 0

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self._function_depth += 1
        self.generic_visit(node)
        self._function_depth -= 1

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function
    visit_Lambda = _function

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self._type_checking_depth += 1
            for child in node.body:
                self.visit(child)
            self._type_checking_depth -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def _record(self, node: ast.Import | ast.ImportFrom) -> None:
        self.found.append((node, self._function_depth == 0, self._type_checking_depth > 0))

    visit_Import = _record
    visit_ImportFrom = _record


def _base_package(module: str, path: Path, level: int) -> str:
    parts = module.split(".")
    if path.name != "__init__.py":
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts)


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> Iterator[Import]:
    """The imports of one module, each imported name resolved to the module it loads."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    collector = _Collector()
    collector.visit(tree)
    for node, at_module_level, type_checking in collector.found:
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                package = _base_package(module, path, node.level)
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.append(submodule if submodule in modules else base)
        for target in dict.fromkeys(targets):
            yield Import(
                source=module,
                target=target,
                path=path,
                line=node.lineno,
                at_module_level=at_module_level and not type_checking,
                type_checking=type_checking,
            )


def all_imports(root: Path = ROOT) -> list[Import]:
    modules = project_modules(root)
    found: list[Import] = []
    for module, path in modules.items():
        found.extend(imports_of(module, path, modules))
    return found


def room_of(module: str) -> str | None:
    """``konzeptk.participation.services.ideas`` -> ``participation``; None outside the package."""
    parts = module.split(".")
    if parts[0] != PACKAGE or len(parts) < 2:
        return None
    return parts[1]


def is_test_or_migration(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or "migrations" in parts or parts[-1] == "conftest"


def cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a module importing itself),
    each sorted, found with Tarjan's algorithm (iterative, so deep graphs do not recurse)."""
    graph: dict[str, set[str]] = {}
    for source, target in edges:
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        index[start] = lowlink[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = lowlink[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    advanced = True
                    break
                if successor in on_stack:
                    lowlink[node] = min(lowlink[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[node])
            if lowlink[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    components.append(sorted(component))
    return sorted(components)
