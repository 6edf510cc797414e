from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client

from konzeptk.city.demo_data import demo_data
from konzeptk.education.models import Booking
from konzeptk.strategy import services, source_registry
from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Indicator,
    IndicatorBinding,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Milestone,
    Project,
    ProjectLink,
    Revision,
    StageTransition,
    SubTopic,
    WebLink,
)
from konzeptk.strategy.trajectory import Status


@pytest.mark.django_db
def test_demo_is_idempotent_and_meaningful():
    from konzeptk.accounts.demo import load_demo as load_accounts
    from konzeptk.strategy.demo import load_demo

    out = io.StringIO()
    load_accounts(out=out)
    load_demo(out=out)
    counts = (
        Revision.objects.count(),
        Project.objects.count(),
        StageTransition.objects.count(),
        Indicator.objects.count(),
    )
    load_demo(out=out)
    assert counts == (
        Revision.objects.count(),
        Project.objects.count(),
        StageTransition.objects.count(),
        Indicator.objects.count(),
    )
    projects = demo_data("strategy-projects")
    assert projects is not None
    assert Project.objects.count() == len(projects["projects"]) >= 38
    rev1, rev2 = Revision.objects.get(version=1), Revision.objects.get(version=2)
    assert rev2.status == "adopted"
    assert rev1.status == "superseded"
    assert FieldOfAction.objects.filter(revision=rev2).count() == 6
    diff = services.revision_diff(a=rev1, b=rev2)
    kinds = {c.kind for c in diff.changes}
    assert {"added", "renamed", "moved"} <= kinds
    assert ("renamed", "Wirtschaft & Handel") in {(c.kind, c.title) for c in diff.changes}
    co2 = Indicator.objects.get(slug="co2-pro-kopf")
    assert (co2.baseline_value, co2.baseline_year) == (9.0, 2017)
    assert co2.targets.get().value == 2.0
    # every project's stage history ends in its current stage
    for project in Project.objects.prefetch_related("transitions"):
        assert list(project.transitions.all())[-1].to_stage == project.stage


@pytest.mark.django_db
def test_demo_from_data_files_loads_what_the_code_loaded() -> None:
    """The strategy text moved from tuples in demo.py into the Krefeld profile pack; the demo, now
    created through the services, loads the same content: the counts and texts below were taken from
    the last version of the code-based demo (with the demo organisations, without a city profile)."""
    from konzeptk.accounts.demo import load_demo as load_accounts
    from konzeptk.strategy.demo import key, load_demo

    out = io.StringIO()
    load_accounts(out=out)
    load_demo(out=out)
    counts = {
        model.__name__: model.objects.count()
        for model in (
            Revision,
            FieldOfAction,
            SubTopic,
            CrossCuttingTheme,
            Goal,
            Measure,
            Project,
            ProjectLink,
            StageTransition,
            Milestone,
            WebLink,
            Indicator,
            IndicatorTarget,
            IndicatorValue,
            IndicatorBinding,
        )
    }
    assert counts == {
        "Revision": 2,
        "FieldOfAction": 8,
        "SubTopic": 3,
        "CrossCuttingTheme": 3,
        "Goal": 19,
        "Measure": 10,
        "Project": 40,
        "ProjectLink": 129,
        "StageTransition": 111,
        "Milestone": 77,
        "WebLink": 2,
        "Indicator": 11,
        "IndicatorTarget": 11,
        "IndicatorValue": 9,
        "IndicatorBinding": 7,
    }
    rev1, rev2 = Revision.objects.get(version=1), Revision.objects.get(version=2)
    assert rev1.council_decision == (
        "Bewerbung vom März 2021 (Ratsvorlage); nicht gefördert (Pressemitteilung 19.07.2021). "
        "Krefeld setzte den Weg ohne Bundesmittel fort."
    )
    assert (rev1.date.isoformat(), rev2.date.isoformat()) == ("2021-03-14", "2023-09-01")
    assert rev2.vision == (
        "Gemeinsam will die Stadt Krefeld mit allen Bürgerinnen und Bürgern zu einer fortschrittlichen, "
        "nachhaltigen und inklusiven Stadt werden: Krefeld wird smart."
    )
    assert [f.title for f in FieldOfAction.objects.filter(revision=rev2).order_by("position")] == [
        "Bildung & Teilhabe",
        "Wirtschaft & Handel",
        "Verwaltung",
        "Mobilität",
        "Umwelt & Klima",
        "Städtisches Leben",
    ]
    hitze = Goal.objects.get(revision=rev2, key=key("hitze"))
    assert (hitze.title, hitze.city_concept, hitze.is_demo_content, hitze.field.key) == (
        "Hitzevorsorge und Klimaanpassung in den Quartieren",
        "KrefeldKlima 2030 (Klimaanpassung)",
        True,
        key("umwelt"),
    )
    sensors = Project.objects.get(slug="umweltsensoren-hitzeinseln")
    assert sensors.summary.startswith("30 Wetterstationen an Laternen messen seit Mai 2023")
    assert (sensors.stage, sensors.stage_since.isoformat(), sensors.budget_planned) == (
        "rollout",
        "2022-02-05",
        180000,
    )
    assert [(t.from_stage, t.to_stage, t.date.isoformat()) for t in sensors.transitions.all()] == [
        ("", "idea", "2021-01-01"),
        ("idea", "preparation", "2021-07-20"),
        ("preparation", "rollout", "2022-02-05"),
    ]
    stopped = Project.objects.get(slug="parksensoren")
    assert stopped.stage == "stopped"
    assert stopped.decision_record.startswith("Eingestellt: Die Sensoren erkannten freie Plätze")
    hochstrasse = Indicator.objects.get(slug="passanten-hochstrasse")
    assert [(v.value, v.date.year, v.is_demo_content, v.source_ref) for v in hochstrasse.values.all()] == [
        (5.62, 2022, False, "hystreet.com-Laserscanner, berichtet von WZ und RP"),
        (5.54, 2023, False, "hystreet.com-Laserscanner, berichtet von WZ und RP"),
    ]
    assert hochstrasse.binding.datastream_name == "Passant:innen Hochstraße"


def test_a11y_pages_render(client, district):
    """With a (small) city profile present, the pages the browser test checks all render."""
    from konzeptk.strategy.a11y import a11y_pages

    for path in a11y_pages():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.content.decode().count("<h1") == 1, path


#: The demo's indicators bound to another room's figure: (slug, value source, goal, status in 2026).
ROOM_BOUND = (
    ("senioren-bildungsangebote", "insights.education_seniors_reached", "digitale-bildung", None),
    ("pv-leistung", "climate.pv_capacity", "klima", Status.AT_RISK),
    ("ladepunkte-oeffentlich", "climate.charging_points", "klima", Status.ON_TRACK),
    ("co2-pro-kopf", "climate.emissions_per_capita", "klima", Status.OFF_TRACK),
    ("umweltverbund-anteil", "climate.sustainable_share", "umweltverbund", Status.OFF_TRACK),
    ("leerstand-innenstadt", "innercity.vacancy_share", "innenstadt", Status.OFF_TRACK),
)


@pytest.mark.django_db
def test_demo_indicators_bound_to_the_rooms_figures_have_values_after_the_demo(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``konzeptk demo`` (the registry's passes, limited to the rooms involved): the strategy binds
    indicators to the figures of education's reach, climate and the inner city; education books its
    simulated offers in ``after_demo``, and strategy's ``finish_demo`` runs after that, so every bound
    indicator has this year's value from the data and an on-course status. Targets and invented baselines
    are labelled as sample content."""
    import time_machine

    from konzeptk.city.selectors import forget_active_profile
    from konzeptk.city.services import city_profile_load
    from konzeptk.core import demo_registry
    from konzeptk.strategy.demo import key
    from konzeptk.strategy.selectors import indicator_assessment

    rooms = {"core", "accounts", "strategy", "innercity", "education", "climate"}
    every_hook = demo_registry._demo_hooks
    monkeypatch.setattr(
        demo_registry, "_demo_hooks", lambda name: [(lb, h) for lb, h in every_hook(name) if lb in rooms]
    )
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC), tick=True):
        city_profile_load(source="krefeld")
        forget_active_profile()
        out = io.StringIO()
        demo_registry.demo_load_all(out=out)
        forget_active_profile()
        assert Booking.objects.filter(simulated=True).exists()  # education's after_demo ran
        for slug, source, goal, status in ROOM_BOUND:
            indicator = Indicator.objects.get(slug=slug)
            assert indicator.goal_key == key(goal)
            binding = IndicatorBinding.objects.get(indicator=indicator)
            assert (binding.source, binding.state, binding.is_simulated) == (source, "ok", True), slug
            registered = source_registry.get_source(source)
            assert registered is not None
            current = registered.value()
            assert current is not None, slug
            assert current > 0, slug
            value = indicator.values.get(source=IndicatorValue.Source.SERIES)
            assert (value.value, value.date, value.is_demo_content) == (current, dt.date(2026, 1, 1), True)
            assessment = indicator_assessment(indicator)
            assert assessment.latest == current, slug
            assert assessment.status != Status.NO_DATA, slug
            if status is not None:
                assert assessment.status == status, slug
    # the seniors' indicator sits in the field of action with the sub-topic "Digitale Fähigkeiten"
    rev2 = Revision.objects.get(version=2)
    goal = Goal.objects.get(revision=rev2, key=key("digitale-bildung"))
    assert "Digitale Fähigkeiten" in {t.title for t in SubTopic.objects.filter(field=goal.field)}
    # invented baselines say so on the indicator's page
    for slug in (
        "senioren-bildungsangebote",
        "pv-leistung",
        "ladepunkte-oeffentlich",
        "leerstand-innenstadt",
    ):
        indicator = Indicator.objects.get(slug=slug)
        assert indicator.is_demo_content
        assert indicator.description.startswith("Beispielinhalt:")
        assert [t.is_demo_content for t in indicator.targets.all()] == [True]
    page = Client().get("/strategie/indikatoren/senioren-bildungsangebote/").content.decode()
    assert "Bildung: erreichte Seniorinnen und Senioren je Jahr" in page
    assert "erfunden" in page
