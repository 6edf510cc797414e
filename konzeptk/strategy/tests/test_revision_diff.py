"""The revision comparison lists every kind of change and shows no empty section (issue 13, item 6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from konzeptk.strategy import services
from konzeptk.strategy.models import FieldOfAction, Goal, Measure, Revision, SubTopic
from konzeptk.strategy.tests.factories import IndicatorFactory, IndicatorTargetFactory

pytestmark = pytest.mark.django_db


def _changed_draft(revision: Revision, people: dict[str, Any]) -> Revision:
    """A clone of ``revision`` that differs in every way the comparison knows."""
    draft = services.revision_clone(source=revision, by=people["core"])
    services.revision_update(
        revision=draft, by=None, title=draft.title, motto="nachhaltig", vision="Neue Vision"
    )
    env = FieldOfAction.objects.get(revision=draft, title="Umwelt & Klima")
    services.element_update(revision=draft, kind="field", element_id=env.pk, title="Klima & Umwelt", by=None)
    goal = Goal.objects.get(revision=draft, title="Umweltverbund stärken")
    services.element_update(
        revision=draft, kind="goal", element_id=goal.pk, title=goal.title, parent_id=env.pk, by=None
    )
    measure = Measure.objects.get(revision=draft)
    services.element_update(
        revision=draft,
        kind="measure",
        element_id=measure.pk,
        title=measure.title,
        description="Mit 30 Stationen",
        parent_id=measure.goal_id,
        by=None,
    )
    new_goal = services.element_add(
        revision=draft, kind="goal", title="Daten teilen", parent_id=env.pk, by=None
    )
    ind = IndicatorFactory(slug="datensaetze", name="Offene Datensätze", unit="Stück", goal_key=new_goal.key)
    IndicatorTargetFactory(indicator=ind, value=120, year=2030)
    old_goal = Goal.objects.get(revision=draft, title="Klimaneutral 2035")
    IndicatorFactory(slug="co2-alt", name="CO₂ je Einwohner:in", unit="t", goal_key=old_goal.key)
    services.element_delete(revision=draft, kind="measure", element_id=measure.pk, by=None)
    services.element_delete(revision=draft, kind="goal", element_id=old_goal.pk, by=None)
    services.element_add(revision=draft, kind="field", title="Verwaltung", by=None)
    services.element_delete(
        revision=draft, kind="sub_topic", element_id=SubTopic.objects.get(revision=draft).pk, by=None
    )
    return draft


def test_diff_lists_motto_vision_elements_descriptions_and_indicators(revision, people):
    draft = services.revision_clone(source=revision, by=people["core"])
    services.revision_update(revision=draft, by=None, title=draft.title, motto="nachhaltig", vision="")
    measure = Measure.objects.get(revision=draft)
    services.element_update(
        revision=draft,
        kind="measure",
        element_id=measure.pk,
        title=measure.title,
        description="Mit 30 Stationen",
        parent_id=measure.goal_id,
        by=None,
    )
    new_goal = services.element_add(
        revision=draft,
        kind="goal",
        title="Daten teilen",
        parent_id=FieldOfAction.objects.filter(revision=draft)[0].pk,
        by=None,
    )
    ind = IndicatorFactory(slug="datensaetze", name="Offene Datensätze", unit="Stück", goal_key=new_goal.key)
    IndicatorTargetFactory(indicator=ind, value=120, year=2030)
    diff = services.revision_diff(a=revision, b=draft)
    assert [(t.name, t.old, t.new) for t in diff.texts] == [("motto", "lebenswert", "nachhaltig")]
    changed = diff.of_kind("changed")
    assert [(c.title, c.old_text, c.new_text) for c in changed] == [
        ("Sensoren gegen Hitzeinseln", "", "Mit 30 Stationen")
    ]
    assert [(c.kind, c.title, c.new_parent) for c in diff.indicators] == [
        ("added", "Offene Datensätze", "Daten teilen")
    ]
    assert "Ziel 2030: 120 Stück" in diff.indicators[0].new_text
    # the other way round the indicator leaves with its goal
    back = services.revision_diff(a=draft, b=revision)
    assert [(c.kind, c.title) for c in back.indicators] == [("removed", "Offene Datensätze")]
    assert {s.kind for s in diff.sections} == {"added", "changed"}


def test_unchanged_clone_has_no_change(revision, people):
    draft = services.revision_clone(source=revision, by=people["core"])
    diff = services.revision_diff(a=revision, b=draft)
    assert diff.is_empty
    assert diff.sections == []


def test_page_lists_every_change_and_no_empty_heading(revision, people):
    draft = _changed_draft(revision, people)
    services.revision_adopt(revision=draft, by=people["core"], council_decision="Rat, 1. 12. 2026")
    html = (
        Client()
        .get(f"/strategie/fassungen/vergleich/?a={revision.version}&b={draft.version}")
        .content.decode()
    )
    for expected in (
        "Leitbild",
        "lebenswert",
        "nachhaltig",
        "Neue Vision",
        "Verwaltung",  # added field
        "Rad und Fuß",  # removed sub-topic
        "Klima &amp; Umwelt",  # renamed
        "Umweltverbund stärken",  # moved
        "Offene Datensätze",  # indicator added with its goal
        "Ziel 2030: 120 Stück",
        "CO₂ je Einwohner:in",  # indicator removed with its goal
    ):
        assert expected in html, expected
    for heading in (
        "Neu",
        "Entfallen",
        "Umbenannt",
        "Verschoben",
        "Titel, Leitbild und Vision",
        "Kennzahlen und Zielwerte",
    ):
        assert f">{heading}</h3>" in html, heading


def test_page_shows_no_empty_sections(revision, people):
    draft = services.revision_clone(source=revision, by=people["core"])
    services.revision_update(revision=draft, by=None, title=draft.title, motto="nachhaltig", vision="")
    services.revision_adopt(revision=draft, by=people["core"], council_decision="Rat, 1. 12. 2026")
    html = (
        Client()
        .get(f"/strategie/fassungen/vergleich/?a={revision.version}&b={draft.version}")
        .content.decode()
    )
    assert "nachhaltig" in html
    assert "lebenswert" in html
    for heading in (
        "Neu",
        "Entfallen",
        "Umbenannt",
        "Verschoben",
        "Beschreibung geändert",
        "Kennzahlen und Zielwerte",
    ):
        assert f">{heading}</h3>" not in html, heading
