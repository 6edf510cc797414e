from __future__ import annotations

import datetime as dt

import pytest

from konzeptk.core.errors import DomainError
from konzeptk.strategy import services
from konzeptk.strategy.models import (
    FieldOfAction,
    Goal,
    Measure,
    Project,
    Revision,
    StageTransition,
    SubTopic,
)


def test_clone_keeps_keys_and_structure(revision, people):
    draft = services.revision_clone(source=revision, by=people["core"])
    assert draft.status == "draft"
    assert draft.version == 2
    assert draft.parent == revision
    old = {f.key: f.title for f in FieldOfAction.objects.filter(revision=revision)}
    new = {f.key: f.title for f in FieldOfAction.objects.filter(revision=draft)}
    assert old == new
    goal = Goal.objects.get(revision=draft, title="Klimaneutral 2035")
    assert goal.field.revision == draft
    assert goal.field.title == "Umwelt & Klima"
    assert Measure.objects.get(revision=draft).goal == goal
    assert SubTopic.objects.get(revision=draft).field.revision == draft
    # the source is untouched
    assert Goal.objects.filter(revision=revision).count() == 2


def test_diff_added_removed_renamed_moved(revision, people):
    draft = services.revision_clone(source=revision, by=people["core"])
    env = FieldOfAction.objects.get(revision=draft, title="Umwelt & Klima")
    mob = FieldOfAction.objects.get(revision=draft, title="Mobilität")
    services.element_update(revision=draft, kind="field", element_id=env.pk, title="Klima & Umwelt", by=None)
    goal = Goal.objects.get(revision=draft, title="Umweltverbund stärken")
    services.element_update(
        revision=draft, kind="goal", element_id=goal.pk, title=goal.title, parent_id=env.pk, by=None
    )
    services.element_add(revision=draft, kind="field", title="Verwaltung", by=None)
    sub = SubTopic.objects.get(revision=draft)
    services.element_delete(revision=draft, kind="sub_topic", element_id=sub.pk, by=None)
    diff = services.revision_diff(a=revision, b=draft)
    summary = {(c.kind, c.title) for c in diff.changes}
    assert ("added", "Verwaltung") in summary
    assert ("removed", "Rad und Fuß") in summary
    assert ("renamed", "Klima & Umwelt") in summary
    assert ("moved", "Umweltverbund stärken") in summary
    moved = diff.of_kind("moved")[0]
    assert moved.old_parent == mob.title
    assert moved.new_parent == "Klima & Umwelt"
    assert diff.counts["added"] == 1


def test_self_diff_is_refused(revision):
    with pytest.raises(DomainError) as exc:
        services.revision_diff(a=revision, b=revision)
    assert exc.value.code == "same_revision"
    assert "zwei verschiedene" in exc.value.message


def test_adopt_supersedes_previous(revision, people):
    draft = services.revision_clone(source=revision, by=people["core"])
    services.revision_adopt(
        revision=draft, by=people["core"], council_decision="Rat, 01.09.2023", decided_on=dt.date(2023, 9, 1)
    )
    revision.refresh_from_db()
    draft.refresh_from_db()
    assert revision.status == "superseded"
    assert draft.status == "adopted"
    assert draft.adopted_by == people["core"]
    assert draft.adopted_at is not None


def test_concurrent_adoption_one_wins_other_gets_message(revision, people):
    first = services.revision_clone(source=revision, by=people["core"])
    second = services.revision_clone(source=revision, by=people["core"])
    stale_second = Revision.objects.get(pk=second.pk)
    services.revision_adopt(revision=first, by=people["core"], council_decision="Rat A")
    with pytest.raises(DomainError) as exc:
        services.revision_adopt(revision=stale_second, by=people["core"], council_decision="Rat B")
    assert exc.value.code == "conflict"
    assert "Fassung 2 beschlossen" in exc.value.message
    second.refresh_from_db()
    assert second.status == "draft"
    assert Revision.objects.filter(status="adopted").count() == 1
    # adopting the same draft twice
    with pytest.raises(DomainError) as exc:
        services.revision_adopt(revision=first, by=people["core"], council_decision="Rat A")
    assert exc.value.code == "already_adopted"


def test_database_refuses_two_adopted_revisions(revision):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.create(
            strategy=revision.strategy, version=9, title="x", date=dt.date.today(), status="adopted"
        )


def test_adopted_revision_cannot_be_edited(revision):
    field = FieldOfAction.objects.filter(revision=revision).first()
    with pytest.raises(DomainError) as exc:
        services.element_update(revision=revision, kind="field", element_id=field.pk, title="Neu", by=None)
    assert exc.value.code == "not_draft"
    field.refresh_from_db()
    assert field.title != "Neu"


def test_field_with_goals_cannot_be_deleted(revision):
    draft = services.revision_clone(source=revision, by=None)
    env = FieldOfAction.objects.get(revision=draft, title="Umwelt & Klima")
    with pytest.raises(DomainError):
        services.element_delete(revision=draft, kind="field", element_id=env.pk, by=None)
    assert FieldOfAction.objects.filter(pk=env.pk).exists()


def test_stage_change_records_transition(project, people):
    t = services.project_change_stage(
        project=project,
        to_stage="evaluation",
        reason="Messzeitraum vorbei",
        by=people["swk_editor"],
        on=dt.date(2024, 3, 1),
    )
    project.refresh_from_db()
    assert project.stage == "evaluation"
    assert project.stage_since == dt.date(2024, 3, 1)
    assert t.from_stage == "pilot"
    assert t.created_by == people["swk_editor"]


def test_forbidden_stage_jump(project):
    with pytest.raises(DomainError) as exc:
        services.project_change_stage(project=project, to_stage="completed", reason="fertig", by=None)
    assert exc.value.code == "stage_jump"
    assert "Auswertung" in exc.value.message
    project.refresh_from_db()
    assert project.stage == "pilot"
    assert not StageTransition.objects.exists()


def test_pilot_end_needs_decision(project):
    services.project_change_stage(project=project, to_stage="evaluation", reason="ausgewertet", by=None)
    with pytest.raises(DomainError) as exc:
        services.project_change_stage(project=project, to_stage="rollout", reason="gut", by=None)
    assert exc.value.code == "decision_missing"
    services.project_change_stage(
        project=project,
        to_stage="rollout",
        reason="gut",
        by=None,
        decision_record="Hitzedaten verlässlich, Kosten tragbar",
    )
    assert Project.objects.get(pk=project.pk).decision_record.startswith("Hitzedaten")


def test_reason_required(project):
    with pytest.raises(DomainError) as exc:
        services.project_change_stage(project=project, to_stage="evaluation", reason="  ", by=None)
    assert exc.value.code == "reason_missing"


@pytest.mark.parametrize("raw", ["abc", "12a", "", "nan", "inf", "1,2,3"])
def test_non_numeric_value_refused(indicator, raw):
    before = indicator.values.count()
    with pytest.raises(DomainError) as exc:
        services.indicator_value_add(indicator=indicator, value=raw, on=dt.date(2022, 1, 1), by=None)
    assert exc.value.code == "not_a_number"
    assert indicator.values.count() == before


@pytest.mark.parametrize(("raw", "expected"), [("7,5", 7.5), ("7.5", 7.5), ("1.234,5", 1234.5), (6, 6.0)])
def test_value_parsing(indicator, raw, expected):
    value = services.indicator_value_add(indicator=indicator, value=raw, on=dt.date(2022, 6, 1), by=None)
    assert value.value == expected


def test_value_before_baseline_and_duplicate(indicator):
    with pytest.raises(DomainError) as exc:
        services.indicator_value_add(indicator=indicator, value=5, on=dt.date(2010, 1, 1), by=None)
    assert exc.value.code == "before_baseline"
    with pytest.raises(DomainError) as exc:
        services.indicator_value_add(indicator=indicator, value=5, on=dt.date(2021, 1, 1), by=None)
    assert exc.value.code == "duplicate"


def test_target_year_before_baseline(indicator):
    with pytest.raises(DomainError) as exc:
        services.indicator_target_set(indicator=indicator, value=1, year=2010, by=None)
    assert exc.value.code == "target_before_baseline"
    assert "2017" in exc.value.message
    assert not indicator.targets.filter(year=2010).exists()
    with pytest.raises(DomainError):
        services.indicator_target_set(indicator=indicator, value=1, year="zwanzig", by=None)
    services.indicator_target_set(indicator=indicator, value=5, year=2030, by=None)
    assert indicator.targets.filter(year=2030, value=5).exists()
