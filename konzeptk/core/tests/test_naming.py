"""The rules for names of docs/architecture.md ("Regeln für Namen"), held by tests."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver
from django.views.generic import RedirectView

from konzeptk import cli
from konzeptk.accounts.models import User
from konzeptk.core import importgraph

PACKAGE = Path(__file__).resolve().parents[2]

#: one word for the staff area of a room, one for stopping mail
STAFF_AREA = "verwaltung"
UNSUBSCRIBE = "abbestellen"
#: words the rules replaced; they may stay only as redirects to the new paths
REPLACED_WORDS = {"redaktion": STAFF_AREA, "bearbeitung": STAFF_AREA, "abmelden": UNSUBSCRIBE}


def test_commands_are_spelt_with_underscores() -> None:
    commands = [
        path.stem
        for path in PACKAGE.glob("*/management/commands/*.py")
        if path.stem != "__init__" and not path.stem.startswith("_")
    ]
    assert len(commands) > 10
    wrong = [name for name in commands if not re.fullmatch(r"[a-z][a-z0-9_]*", name)]
    assert not wrong, wrong
    for old, new in cli.ALIASES.items():
        assert new in commands, (old, new)


def _section_names() -> set[str]:
    """The module names the registries look for in every room (``import_module(f"{app}.demo")``)."""
    names = set()
    for module, path in importgraph.project_modules().items():
        if importgraph.is_test_or_migration(module):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "import_module"
                and node.args
                and isinstance(node.args[0], ast.JoinedStr)
                and isinstance(node.args[0].values[-1], ast.Constant)
            ):
                suffix = str(node.args[0].values[-1].value)
                if suffix.startswith(".") and suffix[1:].isidentifier():
                    names.add(suffix[1:])
    return names


def _is_registry(path: Path, sections: set[str]) -> bool:
    """Defines ``register_*`` at module level, or looks for section modules in the rooms."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if any(isinstance(node, ast.FunctionDef) and node.name.startswith("register_") for node in tree.body):
        return True
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.JoinedStr)
            and isinstance(node.values[-1], ast.Constant)
            and str(node.values[-1].value).lstrip(".") in sections
        ):
            return True
    return False


def test_registries_are_named_as_registries() -> None:
    """A room's module named like a section (``exports.py``, ``erasure.py``, ``demo.py``, …) is that
    room's contribution; the registry the sections plug into is ``<thing>_registry.py``."""
    sections = _section_names() | {"exports", "erasure", "media"}
    assert {"demo", "bench", "exports", "erasure"} <= sections
    wrong = []
    for path in sorted(PACKAGE.glob("*/*.py")):
        if path.stem in sections and _is_registry(path, sections):
            wrong.append(str(path.relative_to(PACKAGE.parent)))
    assert not wrong, (
        "Registry unter dem Namen ihrer Beiträge (als <sache>_registry.py anlegen):\n" + "\n".join(wrong)
    )


def _routes(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def _redirects(route: str, callback: Any, user: User) -> bool:
    """An old path that keeps working: a RedirectView, core/redirects.py, or a view that answers a
    signed-in GET (parameters filled in) with a permanent redirect."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None and issubclass(view_class, RedirectView):
        return True
    if getattr(callback, "__module__", "") == "konzeptk.core.redirects":
        return True
    if "(?P" in route or "^" in route:
        return False
    kwargs: dict[str, object] = {
        name: 1 if converter == "int" else "x" for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route)
    }
    request = RequestFactory().get("/" + re.sub(r"<[^>]+>", "x", route))
    request.user = user
    try:
        status = callback(request, **kwargs).status_code
    except Exception:  # a real page without its middleware (session, messages): not a redirect
        return False
    return status in (301, 308)


@pytest.mark.django_db
def test_staff_areas_and_unsubscribe_have_one_word_each() -> None:
    user = User.objects.create_user(email="namen@beispiel.invalid", password="x")
    wrong = []
    for route, callback in _routes(get_resolver().url_patterns):
        for segment in re.split(r"[/^$]+", route):
            if segment in REPLACED_WORDS and not _redirects(route, callback, user):
                wrong.append(f"/{route}: „{segment}“ → „{REPLACED_WORDS[segment]}“")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_redirect_probe_tells_a_page_from_a_redirect() -> None:
    user = User.objects.create_user(email="namen@beispiel.invalid", password="x")

    def page(request: Any, token: str) -> HttpResponse:
        return HttpResponse("")

    def old(request: Any, token: str) -> HttpResponse:
        return HttpResponsePermanentRedirect(f"/neu/{token}/")

    assert not _redirects("beteiligung/abmelden/<str:token>/", page, user)
    assert _redirects("beteiligung/abmelden/<str:token>/", old, user)
