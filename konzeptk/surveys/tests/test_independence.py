"""participation no longer knows about surveys: none of its modules imports this room, none of its
templates links a survey page, and its process page and phase editor show questionnaires only
through what the survey phase type registered (``PhaseType.pages``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from konzeptk.core import importgraph
from konzeptk.participation.models import Phase
from konzeptk.participation.phases import registry
from konzeptk.participation.tests.factories import ProcessFactory
from konzeptk.surveys import services
from konzeptk.surveys.phase_type import KEY, SURVEY_PHASE

PARTICIPATION = importgraph.ROOT / "participation"


def test_participation_modules_do_not_import_surveys() -> None:
    found = [
        f"{i.where}: {i.source} importiert {i.target}"
        for i in importgraph.all_imports()
        if importgraph.room_of(i.source) == "participation"
        and importgraph.room_of(i.target) == "surveys"
        and "migrations" not in i.source.split(".")
    ]
    assert not found, "\n".join(found)


def test_the_import_check_would_see_an_import(tmp_path: Path) -> None:
    """The check above is not empty by construction: the graph finds such an import where there is one."""
    package = tmp_path / "konzeptk"
    (package / "participation").mkdir(parents=True)
    (package / "surveys").mkdir()
    for path in (
        package / "__init__.py",
        package / "participation/__init__.py",
        package / "surveys/__init__.py",
    ):
        path.write_text("")
    (package / "surveys/models.py").write_text("")
    (package / "participation/views.py").write_text(
        "def page():\n    from konzeptk.surveys.models import Survey\n    return Survey\n"
    )
    imports = importgraph.all_imports(package)
    assert [(i.source, i.target) for i in imports] == [
        ("konzeptk.participation.views", "konzeptk.surveys.models")
    ]


def test_participation_templates_do_not_link_survey_pages() -> None:
    templates = sorted((PARTICIPATION / "templates").rglob("*.html"))
    assert templates
    linking = [str(t) for t in templates if "surveys:" in t.read_text(encoding="utf-8")]
    assert not linking, linking


def test_the_survey_phase_type_is_registered_by_this_room() -> None:
    assert registry.get(KEY) is SURVEY_PHASE
    assert SURVEY_PHASE.pages is not None
    assert SURVEY_PHASE.setup is not None


@pytest.mark.django_db
def test_process_page_and_phase_editor_show_questionnaires_through_the_phase_type(
    client: Client, editor: Any
) -> None:
    process = ProcessFactory(organiser=editor.memberships.get().organisation, slug="umfrage-test")
    now = timezone.now()
    phase = Phase.objects.create(
        process=process, type=KEY, start=now - dt.timedelta(days=1), end=now + dt.timedelta(days=9)
    )
    survey = services.survey_create(phase=phase, by=editor, title="Wie lernen Sie?")
    survey_url = reverse("surveys:survey", kwargs={"slug": process.slug, "pk": survey.pk})
    page = reverse("participation:process", kwargs={"slug": process.slug})
    # without questions the questionnaire is shown to its organisers only
    assert survey_url not in client.get(page).content.decode()
    client.force_login(editor)
    assert survey_url in client.get(page).content.decode()
    services.question_save(survey=survey, by=editor, text="Was fehlt?", kind="text")
    client.logout()
    html = client.get(page).content.decode()
    assert survey_url in html
    assert "Zur Umfrage „Wie lernen Sie?“" in html
    client.force_login(editor)
    phases = client.get(
        reverse("participation:process_phases", kwargs={"slug": process.slug})
    ).content.decode()
    assert reverse("surveys:survey_edit", kwargs={"slug": process.slug, "pk": survey.pk}) in phases
    assert reverse("surveys:survey_new", kwargs={"slug": process.slug, "phase": phase.pk}) in phases
    assert "1 Frage, 0 Antworten" in phases
