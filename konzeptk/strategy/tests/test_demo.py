from __future__ import annotations

import io

import pytest

from konzeptk.city.demo_data import demo_data
from konzeptk.strategy import services
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
        "Indicator": 7,
        "IndicatorTarget": 7,
        "IndicatorValue": 9,
        "IndicatorBinding": 1,
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
