"""Reads of the strategy with bounded queries: the adopted revision, the Steuerrad, project lists, indicators."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from konzeptk.accounts.models import Organisation
from konzeptk.city.models import District
from konzeptk.strategy import rules as strategy_rules
from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Measure,
    Project,
    ProjectLink,
    Revision,
    Stage,
    Strategy,
    SubTopic,
)
from konzeptk.strategy.trajectory import STATUS_LABELS, Assessment, Status, assess


def main_strategy() -> Strategy | None:
    return Strategy.objects.order_by("pk").first()


def adopted_revision(strategy: Strategy | None = None) -> Revision | None:
    strategy = strategy or main_strategy()
    if strategy is None:
        return None
    return Revision.objects.filter(strategy=strategy, status=Revision.Status.ADOPTED).first()


def public_revisions(strategy: Strategy) -> QuerySet[Revision]:
    return (
        Revision.objects.filter(strategy=strategy).exclude(status=Revision.Status.DRAFT).order_by("-version")
    )


def visible_projects(user: Any) -> QuerySet[Project]:
    """Published projects, plus the ones this person may edit."""
    qs = Project.objects.all()
    if strategy_rules.is_core_team(user):
        return qs
    orgs = strategy_rules.editor_organisation_ids(user)
    return qs.filter(Q(published=True) | Q(lead_id__in=orgs)) if orgs else qs.filter(published=True)


# --- Indicator status ----------------------------------------------------------------------------


def indicators_with_data(qs: QuerySet[Indicator] | None = None) -> QuerySet[Indicator]:
    qs = qs if qs is not None else Indicator.objects.all()
    return qs.prefetch_related(
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")),
        Prefetch("values", queryset=IndicatorValue.objects.order_by("date")),
    )


def indicator_assessment(indicator: Indicator) -> Assessment:
    """Uses prefetched targets and values when present (see indicators_with_data)."""
    return assess(
        baseline_value=indicator.baseline_value,
        baseline_year=indicator.baseline_year,
        direction=indicator.direction,
        targets=[(t.value, t.year) for t in indicator.targets.all()],
        values=[(v.value, v.date) for v in indicator.values.all()],
    )


def latest_assessments(indicator_ids: list[int] | None = None) -> dict[int, Assessment]:
    """Assessment of many indicators in two queries: the latest value comes from an indexed subquery."""
    indicators = Indicator.objects.filter(published=True)
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=indicator_ids)
    latest = IndicatorValue.objects.filter(indicator=OuterRef("pk")).order_by("-date", "-pk")
    rows = list(
        indicators.annotate(
            latest_value=Subquery(latest.values("value")[:1]), latest_date=Subquery(latest.values("date")[:1])
        ).values("pk", "baseline_value", "baseline_year", "direction", "latest_value", "latest_date")
    )
    targets: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for ind, value, year in IndicatorTarget.objects.filter(indicator__in=indicators).values_list(
        "indicator_id", "value", "year"
    ):
        targets[ind].append((value, year))
    result = {}
    for r in rows:
        day = r["latest_date"]
        if isinstance(day, str):  # SQLite returns the subquery's date as text
            day = dt.date.fromisoformat(day)
        result[r["pk"]] = assess(
            baseline_value=r["baseline_value"],
            baseline_year=r["baseline_year"],
            direction=r["direction"],
            targets=targets[r["pk"]],
            values=[(r["latest_value"], day)] if day is not None else [],
        )
    return result


def status_summary(assessments: dict[int, Assessment]) -> list[tuple[str, str, int]]:
    counts = Counter(a.status for a in assessments.values())
    return [(s.value, str(STATUS_LABELS[s]), counts.get(s, 0)) for s in Status]


# --- The Steuerrad --------------------------------------------------------------------------------


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


def resolve_links(project: Project, revision: Revision | None) -> dict[str, list[Any]]:
    """The fields of action, goals and measures a project serves, as elements of ``revision``."""
    keys: dict[str, list[uuid.UUID]] = defaultdict(list)
    for link in project.links.all():
        keys[link.kind].append(link.key)
    if revision is None:
        return {"fields": [], "goals": [], "measures": [], "themes": []}
    return {
        "fields": list(
            FieldOfAction.objects.filter(revision=revision, key__in=keys["field"]).order_by("position")
        ),
        "goals": list(
            Goal.objects.filter(revision=revision, key__in=keys["goal"])
            .select_related("field")
            .order_by("position")
        ),
        "measures": list(
            Measure.objects.filter(revision=revision, key__in=keys["measure"])
            .select_related("goal")
            .order_by("position")
        ),
        "themes": list(
            CrossCuttingTheme.objects.filter(revision=revision, key__in=keys["theme"]).order_by("position")
        ),
    }


# --- Project list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""
    field: uuid.UUID | None = None
    goal: uuid.UUID | None = None
    stage: str = ""
    organisation: str = ""
    district: int | None = None


def project_list(filters: ProjectFilters, *, user: Any = None) -> QuerySet[Project]:
    qs = visible_projects(user) if user is not None else Project.objects.filter(published=True)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(summary__icontains=filters.q))
    if filters.field:
        qs = qs.filter(links__kind=ProjectLink.Kind.FIELD, links__key=filters.field)
    if filters.goal:
        qs = qs.filter(links__kind=ProjectLink.Kind.GOAL, links__key=filters.goal)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.organisation:
        qs = qs.filter(Q(lead__slug=filters.organisation) | Q(partners__slug=filters.organisation))
    if filters.district:
        qs = qs.filter(Q(districts__pk=filters.district) | Q(city_wide=True))
    if filters.organisation or filters.district:
        qs = qs.distinct()
    return (
        qs.select_related("lead")
        .prefetch_related(Prefetch("districts", queryset=District.objects.only("pk", "name", "code")))
        .order_by("title", "pk")
    )


def organisations_with_projects() -> QuerySet[Organisation]:
    return Organisation.objects.filter(led_projects__published=True).distinct().order_by("name")


def district_project_counts(districts: list[District]) -> tuple[dict[int, int], int]:
    """Published projects per district, and the number of city-wide ones."""
    ids = [d.pk for d in districts]
    through = Project.districts.through
    rows = (
        through.objects.filter(district_id__in=ids, project__published=True)
        .values("district_id")
        .annotate(n=Count("project_id"))
    )
    counts = {r["district_id"]: r["n"] for r in rows}
    city_wide = Project.objects.filter(published=True, city_wide=True).count()
    return counts, city_wide


SOURCE_IDEAS_SHOWN = 50


def source_ideas(project: Project, limit: int = SOURCE_IDEAS_SHOWN) -> tuple[list[Any], int]:
    """Public ideas from participation that this project takes up (reverse of ``Idea.strategy_project``):
    at most ``limit``, most supported first, and how many there are; two queries however many link.
    Empty when the participation app is not installed."""
    manager = getattr(project, "source_ideas", None)
    if manager is None:
        return [], 0
    qs = manager.public()
    total = qs.count()
    ideas = list(
        qs.select_related("process", "district")
        .only(
            "id",
            "title",
            "status",
            "support_count",
            "channel",
            "process",
            "district",
            "strategy_project",
            "process__slug",
            "process__title",
            "district__name",
        )
        .order_by("-support_count", "pk")[:limit]
    )
    return ideas, total
