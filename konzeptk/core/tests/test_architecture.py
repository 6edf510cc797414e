"""The architecture, held by tests (after CKAN's ``test_coding_standards.py``).

Each rule of docs/architecture.md ("Etagen und Räume", "Regeln für Namen") that can be read from
the source or the URLconf is checked here; a rule that needs the database has its own test module,
named in :data:`RULES`. A failure names every offending ``file:line``.

What counts, decided once:

- **Layering** reads every import of the source with ``ast`` (``konzeptk/core/importgraph.py``),
  at module level, inside functions and under ``if TYPE_CHECKING`` alike: a room may import its
  own floor and the floors below (``konzeptk/floors.py``). Tests and migrations are left out: a
  lower room's tests may check a house-wide contract on the whole house (the GET-never-writes
  crawl, the CSV-injection sweep), and migrations are frozen history that names models by label.
  The Django-free packages (``insights/engine``, ``sensing/odata``) belong to no floor: they import
  nothing of the project (checked below), so any room may compute with them.
- **Cycles** are checked on every import that runs (module level and inside functions; not
  ``TYPE_CHECKING``): an import moved into a function hides a circle from Python, not from the
  design. Tests and migrations are left out. :data:`ALLOWED_CYCLES` is the one place for an
  exception, each with its reason; it is empty.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from konzeptk.core import importgraph
from konzeptk.floors import DJANGO_FREE, FLOORS, PROJECT_MODULES_ON_FLOOR, floor_of

REPO = Path(__file__).resolve().parents[3]

#: the rules of the architecture and the test that holds each (module path, test function)
RULES: dict[str, tuple[str, str]] = {
    "Keine Etage importiert eine höhere": (
        "konzeptk.core.tests.test_architecture",
        "test_no_room_imports_a_higher_floor",
    ),
    "Keine Import-Kreise": ("konzeptk.core.tests.test_architecture", "test_no_import_cycles"),
    "insights/engine und sensing/odata ohne Django": (
        "konzeptk.core.tests.test_architecture",
        "test_django_free_packages_import_no_django_in_the_source",
    ),
    "Personenbezogene Daten: Export und Löschung": (
        "konzeptk.accounts.tests.test_personal_data_coverage",
        "test_every_model_with_personal_data_is_exported_and_erased_or_declared",
    ),
    "Anonyme POST-Routen haben ein eigenes Limit": (
        "konzeptk.core.tests.test_architecture",
        "test_every_anonymous_post_route_has_its_own_rate_limit",
    ),
    "Ein GET schreibt nie": (
        "konzeptk.core.tests.test_get_never_writes",
        "test_no_page_and_no_api_list_writes_on_get",
    ),
    "OpenAPI-Schema wie festgehalten": (
        "konzeptk.core.tests.test_openapi_snapshot",
        "test_the_openapi_schema_matches_its_snapshot",
    ),
    "Registries heißen <sache>_registry": (
        "konzeptk.core.tests.test_naming",
        "test_registries_are_named_as_registries",
    ),
    "Ein Wort für Personalbereich und Abbestellen": (
        "konzeptk.core.tests.test_naming",
        "test_staff_areas_and_unsubscribe_have_one_word_each",
    ),
    "Befehle mit Unterstrich": (
        "konzeptk.core.tests.test_naming",
        "test_commands_are_spelt_with_underscores",
    ),
    "Views dünn: keine Abfragen über .objects. in Views und APIs": (
        "konzeptk.core.tests.test_architecture",
        "test_views_and_apis_query_through_selectors",
    ),
    "Kein Modul über 600 Zeilen": (
        "konzeptk.core.tests.test_architecture",
        "test_no_module_is_over_the_line_limit",
    ),
}

#: cycles of modules that may stay, as sorted tuples of module names, each with its reason
ALLOWED_CYCLES: dict[tuple[str, ...], str] = {}


def test_every_rule_has_its_test() -> None:
    for rule, (module, function) in RULES.items():
        assert callable(getattr(importlib.import_module(module), function, None)), (rule, module, function)


# --- floors --------------------------------------------------------------------------------


def _rooms_on_disk() -> set[str]:
    return {path.parent.name for path in (REPO / "konzeptk").glob("*/apps.py")}


def test_every_room_has_a_floor() -> None:
    installed = {app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("konzeptk.")}
    assert installed <= _rooms_on_disk()
    without = sorted(room for room in _rooms_on_disk() if floor_of(room) is None)
    assert not without, f"Räume ohne Etage in konzeptk/floors.py: {without}"
    rooms = [room for floor in FLOORS.values() for room in floor]
    assert len(rooms) == len(set(rooms)), "ein Raum steht auf zwei Etagen"


def test_the_documented_floors_are_the_declared_floors() -> None:
    """The floor drawing in docs/architecture.md names the rooms that exist on the floors of
    konzeptk/floors.py: the layering test is the proof of the drawing."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Etagen und Räume", 1)[1].split("\n## ", 1)[0]
    drawing = section.split("```", 2)[1]
    documented: dict[int, set[str]] = {}
    for line in drawing.splitlines():
        match = re.match(r"Etage (\d)\s+(.*)", line)
        if match:  # a floor's line names its rooms and nothing else
            documented[int(match.group(1))] = set(re.findall(r"[a-z]+", match.group(2)))
    for floor, rooms in FLOORS.items():
        built = {room for room in rooms if room in _rooms_on_disk()}
        assert documented.get(floor, set()) == built, (floor, documented.get(floor), built)


def _floor_of_module(module: str) -> int | None:
    if any(module == package or module.startswith(package + ".") for package in DJANGO_FREE):
        return None  # a library of pure functions: no floor, see the module docstring
    room = importgraph.room_of(module)
    if room is None:
        return None
    floor = floor_of(room)
    if floor is None and module.count(".") == 1:
        return PROJECT_MODULES_ON_FLOOR.get(room, 99)  # the roof: settings, urls, api, cli, …
    return floor


@pytest.fixture(scope="module")
def imports() -> list[importgraph.Import]:
    return importgraph.all_imports()


def test_no_room_imports_a_higher_floor(imports: list[importgraph.Import]) -> None:
    upward = []
    for imported in imports:
        if importgraph.is_test_or_migration(imported.source):
            continue
        source, target = _floor_of_module(imported.source), _floor_of_module(imported.target)
        if source is None or target is None or target <= source:
            continue
        if importgraph.room_of(imported.source) == importgraph.room_of(imported.target):
            continue
        upward.append(
            f"{imported.where}: {imported.source} (Etage {source}) importiert "
            f"{imported.target} (Etage {'Dach' if target == 99 else target})"
        )
    assert not upward, "Importe nach oben – eine Registry umkehrt sie:\n" + "\n".join(upward)


def test_no_import_cycles(imports: list[importgraph.Import]) -> None:
    runtime = [
        imported
        for imported in imports
        if not imported.type_checking
        and imported.target.startswith(importgraph.PACKAGE + ".")
        and not importgraph.is_test_or_migration(imported.source)
        and not importgraph.is_test_or_migration(imported.target)
    ]
    found = []
    for component in importgraph.cycles((i.source, i.target) for i in runtime):
        if tuple(component) in ALLOWED_CYCLES:
            continue
        members = set(component)
        edges = [
            f"    {i.where}: {i.source} -> {i.target}" + ("" if i.at_module_level else " (in einer Funktion)")
            for i in runtime
            if i.source in members and i.target in members
        ]
        found.append(" ↔ ".join(component) + "\n" + "\n".join(edges))
    assert not found, "Import-Kreise:\n" + "\n".join(found)


def test_the_import_graph_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "konzeptk"
    (package / "room").mkdir(parents=True)
    for name in ("__init__.py", "room/__init__.py", "room/b.py"):
        (package / name).write_text("", encoding="utf-8")
    (package / "room" / "a.py").write_text(
        "from typing import TYPE_CHECKING\nfrom . import b\n"
        "if TYPE_CHECKING:\n    from konzeptk.room.b import X\n"
        "def f():\n    from .b import Y\n",
        encoding="utf-8",
    )
    (package / "room" / "b.py").write_text("def g():\n    import konzeptk.room.a\n", encoding="utf-8")
    modules = importgraph.project_modules(package)
    found = list(importgraph.imports_of("konzeptk.room.a", modules["konzeptk.room.a"], modules))
    assert [(i.target, i.line, i.at_module_level, i.type_checking) for i in found if "room" in i.target] == [
        ("konzeptk.room.b", 2, True, False),
        ("konzeptk.room.b", 4, False, True),
        ("konzeptk.room.b", 6, False, False),
    ]
    edges = [
        (i.source, i.target)
        for module, path in modules.items()
        for i in importgraph.imports_of(module, path, modules)
        if not i.type_checking
    ]
    assert importgraph.cycles(edges) == [["konzeptk.room.a", "konzeptk.room.b"]]


# --- Django-free packages --------------------------------------------------------------------


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_django_free_packages_import_no_django_in_the_source(imports: list[importgraph.Import]) -> None:
    """Neither directly nor through another project module, at any level of the source."""
    by_source: dict[str, list[importgraph.Import]] = {}
    for imported in imports:
        by_source.setdefault(imported.source, []).append(imported)
    offences = []
    for package in DJANGO_FREE:
        for imported in imports:
            if not _inside(imported.source, package) or importgraph.is_test_or_migration(imported.source):
                continue
            target = imported.target
            if target == "django" or target.startswith("django."):
                offences.append(f"{imported.where}: {imported.source} importiert {target}")
            elif target.startswith("konzeptk") and not _inside(target, package):
                offences.append(f"{imported.where}: {imported.source} importiert {target} (außerhalb)")
    assert not offences, "Module, die ohne Django laufen sollen:\n" + "\n".join(offences)


def test_django_free_packages_load_without_django() -> None:
    """Importing every module of the pure packages in a fresh interpreter leaves Django unloaded
    (this also catches a third-party library that pulls Django in)."""
    modules = sorted(
        module
        for module in importgraph.project_modules()
        if any(_inside(module, package) for package in DJANGO_FREE)
        and not importgraph.is_test_or_migration(module)
    )
    assert modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    try:\n        importlib.import_module(name)\n"
        "    except ImportError as exc:\n        print('IMPORT', name, exc)\n"
        "print('DJANGO' if 'django' in sys.modules else 'FREE')\n"
        "print(*sorted(m for m in sys.modules if m.startswith('konzeptk')), sep='\\n')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True, env={}
    )
    lines = result.stdout.splitlines()
    # the packages above them (konzeptk, konzeptk.insights) load their __init__ on the way
    ancestors = {
        package.rsplit(".", n)[0] for package in DJANGO_FREE for n in range(1, package.count(".") + 1)
    }
    loaded_outside = [
        line for line in lines[1:] if line not in ancestors and not any(_inside(line, p) for p in DJANGO_FREE)
    ]
    assert "FREE" in lines, result.stdout
    assert not loaded_outside, loaded_outside


# --- anonymous POST routes -------------------------------------------------------------------

#: Routes (URL name, or a namespace with ``:*``) that strangers may POST to without a limit of
#: their own. Each still counts against the general write budget (WriteLimitMiddleware).
ANONYMOUS_POST_WITHOUT_OWN_LIMIT: dict[str, str] = {
    # SensorThings writes need an API key (sensing/sta/auth.py: 401 without) and count against
    # the "ingest" budget per key; open writes without a key exist only in the demo.
    "sta:*": "Maschinen-Schnittstelle mit API-Schlüssel",
    # CKAN's Action API answers read-only actions to GET and POST alike (ckanapi sends POST);
    # there are no write actions (opendata/ckan.py).
    "dcat:ckan_action": "lesende CKAN-Aktionen, auch per POST",
    "dcat:ckan_action_unversioned": "lesende CKAN-Aktionen, auch per POST",
    # The language switch only sets a cookie.
    "set_language": "setzt nur ein Cookie",
    # Links from e-mails with a long random token: they only confirm or stop mail to that address.
    "servicedesk:follow_confirm": "Bestätigungslink aus der E-Mail",
    "servicedesk:unfollow": "Abbestell-Link aus der E-Mail (RFC 8058)",
    "participation:unsubscribe": "Abbestell-Link aus der E-Mail (RFC 8058)",
    "notifications:unsubscribe": "Abbestell-Link aus der E-Mail (RFC 8058)",
}

#: third-party views that count their own attempts (allauth: login, sign-up, password reset in
#: the shared cache, settings.ACCOUNT_RATE_LIMITS) or need a login (Django's admin behind
#: allauth's secure_admin_login, see konzeptk/urls.py)
THIRD_PARTY_LIMITED = ("allauth.", "django.contrib.admin.")

LOGIN_DECORATORS = frozenset(
    {"login_required", "staff_member_required", "permission_required", "user_passes_test"}
)
SAFE_ONLY = frozenset({"require_GET", "require_safe"})


def _routes(
    patterns: list[Any], namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from _routes(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        else:
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
            yield prefix + str(pattern.pattern), name, pattern


def _wrappers(view: Callable[..., Any]) -> list[Callable[..., Any]]:
    chain: list[Callable[..., Any]] = []
    current: Callable[..., Any] | None = view
    while current is not None and current not in chain:
        chain.append(current)
        current = getattr(current, "__wrapped__", None)
    return chain


def _decorators_and_body(function: Callable[..., Any]) -> tuple[list[tuple[str, list[Any]]], ast.AST] | None:
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):
        return None
    node = ast.parse(source).body[0]
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    found = []
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        constants = [c.value for c in ast.walk(decorator) if isinstance(c, ast.Constant)]
        found.append((name, constants))
    return found, node


def _reads_a_post(function: ast.AST) -> bool:
    """The view (with its decorators) reads the POST data or the body, or names the method POST."""
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("POST", "FILES", "body")
            and isinstance(node.value, ast.Name)
            and node.value.id == "request"
        ) or (isinstance(node, ast.Constant) and node.value == "POST"):
            return True
    return False


def anonymous_post_routes() -> list[tuple[str, str, set[str]]]:
    """(route, URL name, named limits) of every project view that takes a POST without a login
    decorator; read from the view's decorators and whether its code reads the POST at all."""
    found = []
    for route, name, pattern in _routes(get_resolver().url_patterns):
        if route.startswith(tuple(f"{code}/" for code, _name in settings.LANGUAGES)):
            continue  # the same views again under a language prefix
        chain = _wrappers(pattern.callback)
        module = getattr(inspect.unwrap(pattern.callback), "__module__", "")
        if not module.startswith("konzeptk.") and not module.startswith("django.views.i18n"):
            continue
        decorators: list[tuple[str, list[Any]]] = []
        reads_post = False
        for function in chain:
            parsed = _decorators_and_body(function)
            if parsed is not None:
                decorators.extend(parsed[0])
                reads_post = reads_post or _reads_a_post(parsed[1])
        names = {decorator for decorator, _constants in decorators}
        if names & SAFE_ONLY or names & LOGIN_DECORATORS:
            continue
        takes_post = reads_post or any(
            decorator == "require_POST" or (decorator == "require_http_methods" and "POST" in constants)
            for decorator, constants in decorators
        )
        if takes_post:
            limits = {f.konzeptk_rate_limit for f in chain if hasattr(f, "konzeptk_rate_limit")}
            found.append((route, name, limits))
    return found + _anonymous_api_writes()


def _anonymous_api_writes() -> list[tuple[str, str, set[str]]]:
    """Operations of /api/v1/ that write without authentication (django-ninja's routers)."""
    from konzeptk.api import api

    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if not set(operation.methods) - {"GET", "HEAD", "OPTIONS"} or operation.auth_callbacks:
                    continue
                chain = _wrappers(operation.view_func)
                limits = {f.konzeptk_rate_limit for f in chain if hasattr(f, "konzeptk_rate_limit")}
                found.append((f"api/v1/{prefix}{path}", f"api-v1:{operation.view_func.__name__}", limits))
    return found


def test_the_route_walk_finds_the_known_anonymous_writes() -> None:
    found = {name: limits for _route, name, limits in anonymous_post_routes()}
    assert found["servicedesk:new"] == {"report"}
    assert found["core:accessibility"] == {"feedback"}
    assert found["open311:requests"] == {"open311_report"}  # GET and POST in one view
    assert "sta:create-observations" in found
    assert "sta:root" not in found  # answers a POST with 405
    assert "strategy:draft_meta" not in found  # @login_required
    assert "servicedesk:list" not in found  # reads only
    assert "open311:discovery" not in found


def test_every_anonymous_post_route_has_its_own_rate_limit() -> None:
    missing = []
    for route, name, limits in anonymous_post_routes():
        namespace = name.split(":", 1)[0] + ":*"
        if (
            limits
            or name in ANONYMOUS_POST_WITHOUT_OWN_LIMIT
            or namespace in ANONYMOUS_POST_WITHOUT_OWN_LIMIT
        ):
            continue
        missing.append(f"/{route} ({name})")
    assert not missing, (
        "POST ohne Anmeldung ohne eigenes Limit – @limit(...) aus konzeptk/core/ratelimits.py, "
        "@login_required, oder begründet in ANONYMOUS_POST_WITHOUT_OWN_LIMIT:\n" + "\n".join(missing)
    )


def test_third_party_post_views_are_limited_or_need_a_login() -> None:
    from django.contrib import admin

    get_resolver().url_patterns  # noqa: B018 – loads konzeptk/urls.py, which wraps the admin login
    code_files = [
        getattr(getattr(f, "__code__", None), "co_filename", "") for f in _wrappers(admin.site.login)
    ]
    assert any("/allauth/" in name for name in code_files), (
        "Djangos Admin-Anmeldung zählt keine Fehlversuche: über allauth leiten (secure_admin_login)"
    )
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"]
    assert THIRD_PARTY_LIMITED


# --- thin views and short modules --------------------------------------------------------------

#: the longest a module of the source may be (migrations and tests aside)
MAX_MODULE_LINES = 600


def _source_modules() -> dict[str, Path]:
    return {
        module: path
        for module, path in importgraph.project_modules().items()
        if not importgraph.is_test_or_migration(module)
    }


def is_view_module(module: str) -> bool:
    """A module of a room that answers requests: ``views.py``, ``*_views.py``, ``api.py`` or any
    module inside a ``views`` package (``konzeptk.<room>.views.<page>``)."""
    parts = module.split(".")
    if len(parts) < 3 or parts[0] != importgraph.PACKAGE or importgraph.is_test_or_migration(module):
        return False
    name = parts[-1]
    return name in ("views", "api") or name.endswith("_views") or "views" in parts[2:-1]


def manager_queries(source: str) -> list[int]:
    """The lines that use a model's default manager (``X.objects.<something>``); text in strings
    and comments does not count."""
    return sorted(
        {
            node.lineno
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
        }
    )


def test_the_view_rule_sees_view_modules_and_manager_queries() -> None:
    assert is_view_module("konzeptk.sensing.views")
    assert is_view_module("konzeptk.city.api")
    assert is_view_module("konzeptk.accounts.invitation_views")
    assert is_view_module("konzeptk.insights.views.dashboard")
    assert is_view_module("konzeptk.insights.views")  # a views package's __init__
    assert not is_view_module("konzeptk.sensing.selectors")
    assert not is_view_module("konzeptk.sensing.tests.test_views")
    assert not is_view_module("konzeptk.api")  # the roof only mounts the rooms' routers
    source = (
        "x = m.ApiToken.objects.filter(a=1)\n"
        "y = Organisation.objects.all()\n"
        "# Organisation.objects.all() in a comment\n"
        "z = get_object_or_404(Organisation, slug=s)\n"
        "w = '''Model.objects.get() in a docstring'''\n"
        "v = organisation.memberships.all()\n"
    )
    assert manager_queries(source) == [1, 2]


def test_views_and_apis_query_through_selectors() -> None:
    """Views parse, call one service or selector, and render: a query belongs in the room's
    ``selectors`` (reads) or ``services`` (writes), never in a view or an API module."""
    offences = [
        f"{path.relative_to(REPO)}:{line}"
        for module, path in sorted(_source_modules().items())
        if is_view_module(module)
        for line in manager_queries(path.read_text(encoding="utf-8"))
    ]
    assert not offences, "Abfragen in Views/APIs – in selectors.py oder services.py verlegen:\n" + "\n".join(
        offences
    )


def test_no_module_is_over_the_line_limit() -> None:
    too_long = []
    for _module, path in sorted(_source_modules().items()):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(REPO)}: {lines} Zeilen")
    assert _source_modules(), "keine Module gefunden"
    assert not too_long, f"Module über {MAX_MODULE_LINES} Zeilen – aufteilen:\n" + "\n".join(too_long)
