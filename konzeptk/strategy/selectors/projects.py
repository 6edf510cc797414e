"""Reads of projects and pilots: lists with filters, a project's page, the choices of the edit form."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from konzeptk.accounts.models import Organisation
from konzeptk.city import selectors as city_selectors
from konzeptk.city.models import District
from konzeptk.strategy import rules as strategy_rules
from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    Measure,
    Project,
    ProjectLink,
    Revision,
    RevisionElement,
)


def visible_projects(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """Published projects, plus the ones this person may edit."""
    qs = Project.objects.all()
    if strategy_rules.is_core_team(user):
        return qs
    orgs = strategy_rules.editor_organisation_ids(user)
    return qs.filter(Q(published=True) | Q(lead_id__in=orgs)) if orgs else qs.filter(published=True)


def resolve_links(project: Project, revision: Revision | None) -> dict[str, Sequence[RevisionElement]]:
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


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""
    field: uuid.UUID | None = None
    goal: uuid.UUID | None = None
    stage: str = ""
    organisation: str = ""
    district: int | None = None


def project_list(
    filters: ProjectFilters, *, user: AbstractBaseUser | AnonymousUser | None = None
) -> QuerySet[Project]:
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
    """(The ideas are ``participation.Idea``; strategy does not import participation, which imports
    strategy, so they are typed ``Any`` here.)

    Public ideas from participation that this project takes up (reverse of ``Idea.strategy_project``):
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


def project_by_slug(slug: str) -> Project | None:
    return Project.objects.filter(slug=slug).first()


def published_project(slug: str) -> Project | None:
    """A published project with what the API shows of it."""
    return (
        Project.objects.filter(published=True, slug=slug)
        .select_related("lead")
        .prefetch_related("partners", "districts", "links")
        .first()
    )


def project_for_page(slug: str) -> Project | None:
    """A project (published or not: callers check who may see it) with everything its page shows."""
    return (
        Project.objects.select_related("lead")
        .prefetch_related("partners", "districts", "links", "milestones", "web_links", "transitions")
        .filter(slug=slug)
        .first()
    )


def goal_projects(goal: Goal, measures: list[Measure]) -> QuerySet[Project]:
    """Published projects serving the goal or one of its measures."""
    return (
        Project.objects.filter(published=True)
        .filter(
            Q(links__kind=ProjectLink.Kind.GOAL, links__key=goal.key)
            | Q(links__kind=ProjectLink.Kind.MEASURE, links__key__in=[m.key for m in measures])
        )
        .distinct()
        .select_related("lead")
        .order_by("title")
    )


def projects_by_field(keys: list[uuid.UUID]) -> dict[uuid.UUID, list[tuple[str, str]]]:
    """Per field of action (key): the titles and stages of the published projects serving it."""
    rows = ProjectLink.objects.filter(
        project__published=True, kind=ProjectLink.Kind.FIELD, key__in=keys
    ).values_list("key", "project__title", "project__stage")
    result: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for key, title, stage in rows:
        result.setdefault(key, []).append((title, stage))
    return result


def workspace_projects(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Project]:
    """Every project for the core team; for an editor those their organisations lead."""
    projects = Project.objects.select_related("lead").order_by("title")
    if strategy_rules.is_core_team(user):
        return projects
    return projects.filter(lead_id__in=strategy_rules.editor_organisation_ids(user))


def lead_choices(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations a person may name as the lead of a project."""
    if strategy_rules.is_core_team(user):
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(pk__in=strategy_rules.editor_organisation_ids(user)).order_by("name")


def current_districts() -> list[District]:
    """The districts of the active city profile's current layer (none without a profile)."""
    profile = city_selectors.active_profile()
    layer = city_selectors.current_layer(profile) if profile else None
    return list(city_selectors.districts_of(layer)) if layer else []


def district_choices() -> QuerySet[District]:
    return District.objects.filter(pk__in=[d.pk for d in current_districts()]).order_by("code")
