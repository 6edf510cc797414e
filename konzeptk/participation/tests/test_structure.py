"""How participation is built: thin views, the phase registry answers, one way to show a refusal."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from konzeptk.accounts.models import Membership
from konzeptk.accounts.tests.factories import MembershipFactory
from konzeptk.core.errors import DomainError
from konzeptk.participation import phases
from konzeptk.participation.models import Comment, Idea, Process
from konzeptk.participation.phases import IDEA, PhaseType, registry
from konzeptk.participation.tests.factories import PhaseFactory, ProcessFactory
from konzeptk.participation.views.common import as_domain_error, refused

ROOT = Path(__file__).resolve().parent.parent
VIEWS = sorted((ROOT / "views").glob("*.py"))


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: p.name)
def test_views_do_not_query_the_database_themselves(path: Path) -> None:
    """Views parse, call one service or selector, render: the queries live in selectors.py."""
    assert ".objects." not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [*VIEWS, ROOT / "selectors.py", ROOT / "demo.py", ROOT / "phases.py"])
def test_imports_are_at_module_top(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inner = [
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert inner == [], f"{path.name}: imports inside functions at lines {inner}"


def test_phase_registry_imports_no_models_so_models_can_import_it() -> None:
    tree = ast.parse((ROOT / "phases.py").read_text(encoding="utf-8"))
    runtime = [
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("konzeptk.")
    ]
    assert runtime == [], runtime  # models only under TYPE_CHECKING
    models_source = (ROOT / "models.py").read_text(encoding="utf-8")
    assert re.search(r"^from konzeptk\.participation\.phases import", models_source, re.M)


def test_views_and_services_do_not_compare_phase_type_names() -> None:
    names = "|".join(re.escape(t.key) for t in registry.all())
    pattern = re.compile(rf"""\.type\s*[!=]=\s*["']({names})["']|["']({names})["']\s*[!=]=\s*\w+\.type""")
    for path in [*VIEWS, *sorted((ROOT / "services").glob("*.py")), ROOT / "selectors.py", ROOT / "rules.py"]:
        assert not pattern.search(path.read_text(encoding="utf-8")), path.name


def test_a_phase_type_names_models_by_class_or_label() -> None:
    by_label = PhaseType("x", "X", "", {"support": (IDEA,)})
    by_class = PhaseType("y", "Y", "", {"support": (Idea,)})
    for phase_type in (by_label, by_class):
        assert phase_type.has_feature("support", Idea)
        assert phase_type.has_feature("support", "participation.Idea")
        assert not phase_type.has_feature("support", Comment)
        assert phase_type.opens("support")
        assert not phase_type.opens("crud")
    assert set(registry.keys_opening("crud")) == {"idea_collection"}
    assert "information" not in registry.keys_opening("support")
    assert phases.IDEA_COLLECTION.key in registry.keys_opening("comment")


# --- one way to show a refusal ---------------------------------------------------------------


def test_a_validation_error_becomes_a_domain_error_naming_its_fields() -> None:
    error = as_domain_error(ValidationError({"title": ["zu lang"], "text": ["fehlt", "leer"]}))
    assert (error.code, error.status) == ("invalid", 400)
    assert error.errors == [("title", "zu lang"), ("text", "fehlt"), ("text", "leer")]
    plain = as_domain_error(ValidationError("kaputt"))
    assert plain.errors == [("", "kaputt")]
    refusal = DomainError("denied", "nein", 403)
    assert as_domain_error(refusal) is refusal


@pytest.mark.django_db
def test_refused_shows_messages_without_a_form_and_returns_the_status() -> None:
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    assert refused(request, DomainError("already_supported", "schon", 409)) == 409
    assert refused(request, ValidationError({"x": ["falsch"]})) == 400
    assert [str(m) for m in get_messages(request)] == ["schon", "falsch"]


# --- the phase editor --------------------------------------------------------------------------


@pytest.mark.django_db
def test_phase_editor_refuses_unknown_actions_and_phases_clearly(client: Client) -> None:
    process: Process = ProcessFactory()
    editor = MembershipFactory(organisation=process.organiser, role=Membership.Role.EDITOR).user
    client.force_login(editor)
    url = reverse("participation:process_phases", kwargs={"slug": process.slug})
    response = client.post(url, {"action": "zaubern"})
    assert response.status_code == 400
    assert "Diese Aktion gibt es nicht." in response.content.decode()
    assert client.post(url, {"action": "change"}).status_code == 400  # which phase?
    assert client.post(url, {"action": "delete", "phase": "999999"}).status_code == 404
    phase = PhaseFactory(process=process)
    assert client.post(url, {"action": "settings", "phase": phase.pk}).status_code == 404  # no settings
    response = client.post(url, {"action": "delete", "phase": phase.pk})
    assert response.status_code == 302
    assert not process.phases.filter(pk=phase.pk).exists()
