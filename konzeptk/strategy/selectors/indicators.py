"""Reads of indicators: with their targets and values, their status against the trajectory, their pages."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from konzeptk.strategy import rules as strategy_rules
from konzeptk.strategy.models import Indicator, IndicatorBinding, IndicatorTarget, IndicatorValue
from konzeptk.strategy.trajectory import STATUS_LABELS, Assessment, Status, assess


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


def published_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(published=True).order_by("name"))


def published_indicator_list(*, goal: uuid.UUID | None = None, project: str = "") -> QuerySet[Indicator]:
    """Published indicators with targets and values, optionally of a goal or a published project."""
    qs = Indicator.objects.filter(published=True).order_by("name", "pk")
    if goal:
        qs = qs.filter(goal_key=goal)
    if project:
        qs = qs.filter(projects__slug=project, projects__published=True)
    return indicators_with_data(qs)


def published_indicator(slug: str) -> Indicator | None:
    return indicators_with_data(Indicator.objects.filter(published=True, slug=slug)).first()


def indicator_with_data(slug: str) -> Indicator | None:
    """One indicator (published or not: callers check who may see it) with targets and values."""
    return indicators_with_data().filter(slug=slug).first()


def goal_indicators(goal_key: uuid.UUID) -> list[tuple[Indicator, Assessment]]:
    """The published indicators of a goal with their assessment."""
    indicators = indicators_with_data(Indicator.objects.filter(published=True, goal_key=goal_key))
    return [(i, indicator_assessment(i)) for i in indicators]


def binding_of(indicator: Indicator) -> IndicatorBinding | None:
    return IndicatorBinding.objects.filter(indicator=indicator).select_related("datastream").first()


def indicator_values_for_csv(slug: str | None = None) -> QuerySet[IndicatorValue]:
    """Values of published indicators (of one when ``slug`` is given), in the order of the download."""
    qs = IndicatorValue.objects.filter(indicator__published=True).select_related("indicator")
    if slug:
        qs = qs.filter(indicator__slug=slug)
    return qs.order_by("indicator__slug", "date")


def workspace_indicators(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Indicator]:
    """Every indicator for the core team; for an editor those of the projects their organisations lead."""
    indicators = Indicator.objects.order_by("name")
    if strategy_rules.is_core_team(user):
        return indicators
    orgs = strategy_rules.editor_organisation_ids(user)
    return indicators.filter(projects__lead_id__in=orgs).distinct()
