"""What the Handlungsprogramm print document holds beyond the elements of a revision: per field of
action its published projects with the responsible organisations, stage and budget, and per goal its
published indicators with the latest value, its date and the status. A fixed number of queries."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch

from konzeptk.accounts.models import Organisation
from konzeptk.strategy.models import Indicator, Project, ProjectLink
from konzeptk.strategy.selectors.indicators import latest_assessments
from konzeptk.strategy.trajectory import Assessment


@dataclass(frozen=True)
class DocumentProject:
    project: Project
    organisations: list[Organisation]


@dataclass(frozen=True)
class DocumentIndicator:
    indicator: Indicator
    assessment: Assessment


def document_projects(field_keys: list[uuid.UUID]) -> dict[uuid.UUID, list[DocumentProject]]:
    """Per field of action (key): its published projects by title, lead first among the organisations.
    Three queries."""
    links = list(
        ProjectLink.objects.filter(
            project__published=True, kind=ProjectLink.Kind.FIELD, key__in=field_keys
        ).values_list("key", "project_id")
    )
    projects = {
        p.pk: p
        for p in Project.objects.filter(pk__in={pid for _key, pid in links})
        .select_related("lead")
        .prefetch_related(Prefetch("partners", queryset=Organisation.objects.order_by("name")))
    }
    result: dict[uuid.UUID, list[DocumentProject]] = {}
    for key, pid in links:
        project = projects[pid]
        organisations = [project.lead, *[o for o in project.partners.all() if o.pk != project.lead_id]]
        result.setdefault(key, []).append(DocumentProject(project, organisations))
    for rows in result.values():
        rows.sort(key=lambda row: row.project.title)
    return result


def document_indicators(goal_keys: list[uuid.UUID]) -> dict[uuid.UUID, list[DocumentIndicator]]:
    """Per goal (key): its published indicators by name with their assessment (latest value and date,
    next target, status). Three queries."""
    indicators = list(Indicator.objects.filter(published=True, goal_key__in=goal_keys).order_by("name", "pk"))
    assessments = latest_assessments([i.pk for i in indicators]) if indicators else {}
    result: dict[uuid.UUID, list[DocumentIndicator]] = {}
    for indicator in indicators:
        if indicator.goal_key is not None:
            result.setdefault(indicator.goal_key, []).append(
                DocumentIndicator(indicator, assessments[indicator.pk])
            )
    return result
