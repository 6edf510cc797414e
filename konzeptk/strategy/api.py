"""Read-only JSON API of the strategy under /api/v1/strategy/.

Revisions (not drafts), fields of action, goals, published projects and indicators with values.
Every list is paginated (``limit``/``offset``) and filterable; errors are ``{"code", "message"}``.
"""

import datetime as dt
import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from konzeptk.core.errors import DomainError
from konzeptk.core.pagination import ObjectId, Pagination
from konzeptk.strategy import selectors
from konzeptk.strategy.models import (
    FieldOfAction,
    Indicator,
    Project,
    Revision,
    Stage,
)
from konzeptk.strategy.trajectory import STATUS_LABELS

router = Router(tags=["Strategie"])


class ErrorOut(Schema):
    code: str
    message: str


class RevisionOut(Schema):
    version: int
    title: str
    motto: str
    date: dt.date
    status: str
    council_decision: str
    is_demo_content: bool


class SubTopicOut(Schema):
    key: uuid.UUID
    title: str
    description: str


class FieldOut(Schema):
    key: uuid.UUID
    title: str
    description: str
    position: int
    sub_topics: list[SubTopicOut]


class GoalOut(Schema):
    key: uuid.UUID
    title: str
    description: str
    city_concept: str = Field(description="Konzept der Stadt, aus dem das Ziel stammt")
    field_key: uuid.UUID


class ProjectOut(Schema):
    slug: str
    title: str
    summary: str
    lead: str
    partners: list[str]
    stage: str
    stage_label: str
    stage_since: dt.date
    city_wide: bool
    districts: list[str]
    field_keys: list[uuid.UUID]
    goal_keys: list[uuid.UUID]
    measure_keys: list[uuid.UUID]
    budget_planned: float | None
    budget_spent: float | None
    funding_source: str
    is_demo_content: bool


class ValueOut(Schema):
    date: dt.date
    value: float
    source: str
    is_demo_content: bool


class TargetOut(Schema):
    year: int
    value: float


class IndicatorOut(Schema):
    slug: str
    name: str
    unit: str
    direction: str
    source: str
    method: str
    baseline_value: float
    baseline_year: int
    goal_key: uuid.UUID | None
    series_source: str = Field(description="Datenreihe der Stadtdatenplattform, aus der Werte kommen können")
    status: str = Field(description="on_track, at_risk, off_track oder no_data")
    status_label: str
    targets: list[TargetOut]
    values: list[ValueOut]
    is_demo_content: bool


def _revision(version: int | None) -> Revision:
    strategy = selectors.main_strategy()
    if strategy is None:
        raise DomainError("no_strategy", status=404, message="Es ist noch keine Strategie angelegt.")
    if version is None:
        revision = selectors.adopted_revision(strategy)
    else:
        revision = selectors.public_revisions(strategy).filter(version=version).first()
    if revision is None:
        raise DomainError(
            "revision_not_found",
            status=404,
            message="Diese Fassung gibt es nicht (oder sie ist ein Entwurf).",
        )
    return revision


@router.get("/revisions", response=list[RevisionOut], summary="Fassungen der Strategie (ohne Entwürfe)")
@paginate(Pagination)
def revisions(request: HttpRequest) -> QuerySet[Revision]:
    return selectors.main_public_revisions()


@router.get("/fields", response={200: list[FieldOut], 404: ErrorOut}, summary="Handlungsfelder einer Fassung")
@paginate(Pagination)
def fields(request: HttpRequest, version: ObjectId | None = None) -> QuerySet[FieldOfAction]:
    """Ohne ``version`` die beschlossene Fassung."""
    return selectors.fields_with_sub_topics(_revision(version))


@router.get("/goals", response={200: list[GoalOut], 404: ErrorOut}, summary="Ziele einer Fassung")
@paginate(Pagination)
def goals(
    request: HttpRequest,
    version: ObjectId | None = None,
    field: uuid.UUID | None = None,
    city_concept: str = "",
) -> list[dict[str, Any]]:
    qs = selectors.goals_of(_revision(version), field=field, city_concept=city_concept)
    return [
        {
            "key": g.key,
            "title": g.title,
            "description": g.description,
            "city_concept": g.city_concept,
            "field_key": g.field.key,
        }
        for g in qs
    ]


class ProjectFilter(Schema):
    q: str = Field("", description="Suche in Titel und Kurzbeschreibung")
    field: uuid.UUID | None = Field(None, description="Schlüssel eines Handlungsfelds")
    goal: uuid.UUID | None = Field(None, description="Schlüssel eines Ziels")
    stage: str = Field(
        "", description="Phase: " + ", ".join(Stage.values), pattern="^(" + "|".join(Stage.values) + ")?$"
    )
    organisation: str = Field("", description="Kennung einer Organisation (federführend oder Partner)")
    district: ObjectId | None = Field(None, description="ID eines Gebiets")


def _project_dict(p: Project) -> dict[str, Any]:
    links = list(p.links.all())
    return {
        "slug": p.slug,
        "title": p.title,
        "summary": p.summary,
        "lead": str(p.lead),
        "partners": [str(o) for o in p.partners.all()],
        "stage": p.stage,
        "stage_label": str(p.get_stage_display()),
        "stage_since": p.stage_since,
        "city_wide": p.city_wide,
        "districts": [d.name for d in p.districts.all()],
        "field_keys": [li.key for li in links if li.kind == "field"],
        "goal_keys": [li.key for li in links if li.kind == "goal"],
        "measure_keys": [li.key for li in links if li.kind == "measure"],
        "budget_planned": float(p.budget_planned) if p.budget_planned is not None else None,
        "budget_spent": float(p.budget_spent) if p.budget_spent is not None else None,
        "funding_source": p.funding_source,
        "is_demo_content": p.is_demo_content,
    }


class _ProjectPage(Pagination):
    """Paginate the queryset first, then turn the page into dicts (prefetches stay per page)."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        result = super().paginate_queryset(queryset, pagination, request=request, **params)
        result["items"] = [_project_dict(p) for p in result["items"]]
        return result


@router.get("/projects", response={200: list[ProjectOut], 400: ErrorOut}, summary="Veröffentlichte Projekte")
@paginate(_ProjectPage)
def projects(request: HttpRequest, filters: Query[ProjectFilter]) -> QuerySet[Project]:
    if filters.stage and filters.stage not in Stage.values:
        raise DomainError(
            "invalid_stage", status=400, message="Unbekannte Phase. Erlaubt: " + ", ".join(Stage.values)
        )
    qs = selectors.project_list(
        selectors.ProjectFilters(
            q=filters.q.strip()[:100],
            field=filters.field,
            goal=filters.goal,
            stage=filters.stage,
            organisation=filters.organisation,
            district=filters.district,
        )
    )
    return qs.prefetch_related("partners", "links")


@router.get("/projects/{slug}", response={200: ProjectOut, 404: ErrorOut}, summary="Ein Projekt")
def project(request: HttpRequest, slug: str) -> dict[str, Any]:
    p = selectors.published_project(slug)
    if p is None:
        raise DomainError(
            "project_not_found",
            status=404,
            message="Dieses Projekt gibt es nicht oder es ist nicht veröffentlicht.",
        )
    return _project_dict(p)


def _indicator_dict(i: Indicator) -> dict[str, Any]:
    assessment = selectors.indicator_assessment(i)
    return {
        "slug": i.slug,
        "name": i.name,
        "unit": i.unit,
        "direction": i.direction,
        "source": i.source,
        "method": i.method,
        "baseline_value": i.baseline_value,
        "baseline_year": i.baseline_year,
        "goal_key": i.goal_key,
        "series_source": i.series_source,
        "status": assessment.status.value,
        "status_label": str(STATUS_LABELS[assessment.status]),
        "targets": [{"year": t.year, "value": t.value} for t in i.targets.all()],
        "values": [
            {"date": v.date, "value": v.value, "source": v.source, "is_demo_content": v.is_demo_content}
            for v in i.values.all()
        ],
        "is_demo_content": i.is_demo_content,
    }


class _IndicatorPage(Pagination):
    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        result = super().paginate_queryset(queryset, pagination, request=request, **params)
        result["items"] = [_indicator_dict(i) for i in result["items"]]
        return result


@router.get(
    "/indicators", response=list[IndicatorOut], summary="Indikatoren mit Zielen, Werten und Bewertung"
)
@paginate(_IndicatorPage)
def indicators(request: HttpRequest, goal: uuid.UUID | None = None, project: str = "") -> QuerySet[Indicator]:
    return selectors.published_indicator_list(goal=goal, project=project)


@router.get("/indicators/{slug}", response={200: IndicatorOut, 404: ErrorOut}, summary="Ein Indikator")
def indicator(request: HttpRequest, slug: str) -> dict[str, Any]:
    i = selectors.published_indicator(slug)
    if i is None:
        raise DomainError("indicator_not_found", status=404, message="Diesen Indikator gibt es nicht.")
    return _indicator_dict(i)
