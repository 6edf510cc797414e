"""The Steuerrad: the adopted revision's fields of action and themes with their projects and indicators."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch

from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Project,
    ProjectLink,
    Revision,
    Stage,
    SubTopic,
)
from konzeptk.strategy.selectors.indicators import latest_assessments, status_summary


@dataclass
class FieldSummary:
    field: FieldOfAction
    sub_topics: list[SubTopic]
    goals: list[Goal]
    project_count: int


def _published_project_counts(kind: str, keys: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = (
        ProjectLink.objects.filter(kind=kind, key__in=keys, project__published=True)
        .values("key")
        .annotate(n=Count("project_id", distinct=True))
    )
    return {r["key"]: r["n"] for r in rows}


def steering_wheel(revision: Revision) -> dict[str, Any]:
    fields = list(
        FieldOfAction.objects.filter(revision=revision)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("sub_topics", queryset=SubTopic.objects.order_by("position", "pk")),
            Prefetch("goals", queryset=Goal.objects.order_by("position", "pk")),
        )
    )
    themes = list(CrossCuttingTheme.objects.filter(revision=revision).order_by("position", "pk"))
    field_counts = _published_project_counts(ProjectLink.Kind.FIELD, [f.key for f in fields])
    summaries = [
        FieldSummary(f, list(f.sub_topics.all()), list(f.goals.all()), field_counts.get(f.key, 0))
        for f in fields
    ]
    theme_counts = _published_project_counts(ProjectLink.Kind.THEME, [t.key for t in themes])
    assessments = latest_assessments()
    return {
        "fields": summaries,
        "themes": [(t, theme_counts.get(t.key, 0)) for t in themes],
        "goal_count": sum(len(s.goals) for s in summaries),
        "project_count": Project.objects.filter(published=True).count(),
        "stage_counts": stage_counts(),
        "indicator_status": status_summary(assessments),
        "indicator_count": len(assessments),
    }


def stage_counts() -> list[tuple[str, str, int]]:
    counts = dict(
        Project.objects.filter(published=True)
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in Stage.choices]
