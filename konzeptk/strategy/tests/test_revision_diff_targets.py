"""The revision comparison shows targets changed in place: an adopted revision keeps the targets it was
adopted with (``Revision.indicator_targets``), a draft is compared with the targets as they are (issue 13)."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from konzeptk.strategy import services
from konzeptk.strategy.models import Goal, Indicator, IndicatorTarget, Revision
from konzeptk.strategy.tests.factories import IndicatorFactory, IndicatorTargetFactory

pytestmark = pytest.mark.django_db

URL = "/strategie/fassungen/vergleich/"


def _text(html: str) -> str:
    """The page as plain text (tags out, white space folded)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def _indicator(revision: Revision, slug: str, name: str, unit: str, targets: dict[int, float]) -> Indicator:
    goal = Goal.objects.get(revision=revision, title="Umweltverbund stärken")
    ind = IndicatorFactory(slug=slug, name=name, unit=unit, direction="up", goal_key=goal.key)
    for year, value in targets.items():
        IndicatorTargetFactory(indicator=ind, year=year, value=value)
    return ind


def _adopted_pair(revision: Revision, people: dict[str, Any]) -> tuple[Revision, Revision]:
    """A clone of the adopted ``revision`` adopted with the targets as they are, and a draft of that."""
    first = services.revision_clone(source=revision, by=people["core"])
    first = services.revision_adopt(revision=first, by=people["core"], council_decision="Rat, 1. 3. 2024")
    return first, services.revision_clone(source=first, by=people["core"])


def test_target_changed_in_place_shows_old_and_new_value(revision, people):
    modal = _indicator(revision, "umweltverbund", "Anteil Umweltverbund", "%", {2030: 40, 2035: 55})
    visits = _indicator(revision, "besuche", "Besuche der Mediothek", "Besuche", {2027: 250000})
    steady = _indicator(revision, "stationen", "Wetterstationen", "Stationen", {2027: 80})
    old, draft = _adopted_pair(revision, people)
    assert old.indicator_targets is not None
    assert old.indicator_targets[str(modal.pk)]["targets"] == {"2030": 40.0, "2035": 55.0}
    services.indicator_target_set(indicator=modal, value="50", year=2030, by=None)
    services.indicator_target_set(indicator=modal, value="70", year=2040, by=None)
    IndicatorTarget.objects.filter(indicator=modal, year=2035).delete()
    services.indicator_target_set(indicator=visits, value="260000,5", year=2027, by=None)
    services.indicator_target_set(indicator=steady, value=80, year=2027, by=None)  # the same value again

    # the draft against the adopted revision: today's targets against the adopted ones
    diff = services.revision_diff(a=old, b=draft)
    assert [(i.title, i.goal) for i in diff.targets] == [
        ("Anteil Umweltverbund", "Umweltverbund stärken"),
        ("Besuche der Mediothek", "Umweltverbund stärken"),
    ]
    assert [(c.year, c.old, c.new) for c in diff.targets[0].changes] == [
        (2030, 40.0, 50.0),
        (2035, 55.0, None),
        (2040, None, 70.0),
    ]
    assert diff.indicators == []
    assert diff.changes == []
    assert not diff.is_empty

    # adopted, the new revision keeps its targets: a later change does not alter the comparison
    new = services.revision_adopt(revision=draft, by=people["core"], council_decision="Rat, 1. 9. 2025")
    services.indicator_target_set(indicator=modal, value="65", year=2030, by=None)
    old.refresh_from_db()
    text = _text(Client().get(URL, {"a": old.version, "b": new.version}).content.decode())
    assert "Anteil Umweltverbund (zum Ziel Umweltverbund stärken)" in text
    assert "Zielwert 2030: 40 % → 50 %" in text
    assert "Zielwert 2035 entfällt: 55 %" in text
    assert "Neuer Zielwert 2040: 70 %" in text
    assert "Zielwert 2027: 250.000 Besuche → 260.000,5 Besuche" in text
    assert "65 %" not in text
    assert "Wetterstationen" not in text  # unchanged targets are not listed
    assert "Kennzahlen und Zielwerte" in text
    for heading in ("Neu", "Entfallen", "Umbenannt", "Verschoben", "Beschreibung geändert"):
        assert f">{heading}</h3>" not in text, heading
    # the other way round old and new swap
    back = services.revision_diff(a=new, b=old)
    first = back.targets[0].changes[0]
    assert (first.year, first.old, first.new) == (2030, 50.0, 40.0)


def test_unchanged_targets_show_no_section(revision, people):
    _indicator(revision, "umweltverbund", "Anteil Umweltverbund", "%", {2030: 40})
    old, draft = _adopted_pair(revision, people)
    diff = services.revision_diff(a=old, b=draft)
    assert diff.is_empty
    assert diff.targets == []
    new = services.revision_adopt(revision=draft, by=people["core"], council_decision="Rat, 1. 9. 2025")
    html = Client().get(URL, {"a": old.version, "b": new.version}).content.decode()
    assert "Kennzahlen und Zielwerte" not in html
    assert "Die beiden Fassungen unterscheiden sich nicht." in html


def test_indicator_added_to_a_goal_of_both_revisions(revision, people):
    old, draft = _adopted_pair(revision, people)
    _indicator(revision, "umweltverbund", "Anteil Umweltverbund", "%", {2030: 40})
    diff = services.revision_diff(a=old, b=draft)
    assert [(c.kind, c.title, c.new_parent, c.new_text) for c in diff.indicators] == [
        ("added", "Anteil Umweltverbund", "Umweltverbund stärken", "Ziel 2030: 40 %")
    ]
    assert diff.targets == []


def test_migration_records_current_targets_on_adopted_revisions(revision, people, indicator):
    draft = services.revision_clone(source=revision, by=people["core"])
    assert revision.indicator_targets is None  # made without revision_adopt
    migration = importlib.import_module("konzeptk.strategy.migrations.0006_revision_indicator_targets")
    migration.record_current_targets(apps, None)
    revision.refresh_from_db()
    draft.refresh_from_db()
    assert revision.indicator_targets == {
        str(indicator.pk): {
            "name": "CO₂ je Einwohner:in",
            "unit": "t",
            "goal": str(indicator.goal_key),
            "targets": {"2035": 2.0},
        }
    }
    assert draft.indicator_targets is None


def test_comparison_query_count_is_bounded(client, revision, people, django_assert_max_num_queries):
    def make(start: int, n: int) -> list[Indicator]:
        return [
            _indicator(revision, f"k{i}", f"Kennzahl {i}", "%", {2030: 10, 2035: 20}) for i in range(start, n)
        ]

    client.force_login(people["core"])  # the core team sees drafts
    made = make(0, 2)
    old, draft = _adopted_pair(revision, people)
    for ind in made:
        services.indicator_target_set(indicator=ind, value=15, year=2030, by=None)
    params = {"a": old.version, "b": draft.version}
    with django_assert_max_num_queries(25) as few:
        response = client.get(URL, params)
    bound = len(few.captured_queries)  # read now: the next request empties the query log
    assert "Zielwert 2030: 10 % → 15 %" in _text(response.content.decode())

    more = make(2, 30)
    old2, draft2 = _adopted_pair(old, people)
    for ind in more:
        services.indicator_target_set(indicator=ind, value=15, year=2030, by=None)
    params = {"a": old2.version, "b": draft2.version}
    with django_assert_max_num_queries(bound):
        response = client.get(URL, params)
    assert _text(response.content.decode()).count("Zielwert 2030: 10 % → 15 %") == 28
