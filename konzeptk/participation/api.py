"""Read-only JSON API of participation under /api/v1/participation/.

Processes, phases, ideas (location, district, counts), comments (the ballot result is served by
``konzeptk.ballots.api`` at its old path). Every list is paginated (``limit``/``offset``); hidden or
deleted contributions and draft processes never appear. Errors are JSON ``{"code", "message"}``.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from konzeptk.core.errors import DomainError
from konzeptk.core.pagination import ObjectId, Pagination
from konzeptk.participation import selectors
from konzeptk.participation.models import Idea, Process

router = Router(tags=["Beteiligung"])


class PhaseOut(Schema):
    type: str
    name: str
    start: dt.datetime
    end: dt.datetime
    active: bool
    opens: list[str] = Field(description="Aktionen, die diese Phase öffnet (crud, comment, support, vote)")


class ProcessOut(Schema):
    slug: str
    title: str
    teaser: str
    status: str
    organiser: str
    topics: list[str]
    is_demo: bool
    phases: list[PhaseOut]


class IdeaOut(Schema):
    id: int
    process: str
    title: str
    text: str
    topic: str
    status: str
    answer: str
    lat: float | None
    lon: float | None
    address: str
    district: str | None = Field(description="Name des Stadtbezirks")
    channel: str = Field(description="online, workshop, paper, phone, buergerkoffer")
    support_count: int
    comment_count: int
    cost: int | None
    strategy_project: str | None = Field(
        None, description="Kennung (slug) des Projekts der Smart-City-Strategie, das die Idee aufgreift"
    )
    strategy_measure: str | None = Field(
        None, description="Schlüssel (UUID) der Maßnahme der Smart-City-Strategie, die die Idee aufgreift"
    )
    created_at: dt.datetime


class CommentOut(Schema):
    id: int
    parent: int | None
    text: str
    author: str
    created_at: dt.datetime
    edited: bool


def _process_out(process: Process, now: dt.datetime) -> dict[str, Any]:
    active = process.active_phase(now)
    return {
        "slug": process.slug,
        "title": process.title,
        "teaser": process.teaser,
        "status": process.status,
        "organiser": process.organiser.name,
        "topics": process.topics,
        "is_demo": process.is_demo,
        "phases": [
            {
                "type": p.type,
                "name": p.display_name,
                "start": p.start,
                "end": p.end,
                "active": p == active,
                "opens": sorted(p.phase_type.features),
            }
            for p in process.phases.all()
        ],
    }


def _public_process(slug: str) -> Process:
    process = selectors.process_by_slug(slug)
    if process is None or not process.is_public:
        raise DomainError("process_not_found", _("Diesen Beteiligungsprozess gibt es nicht."), 404)
    return process


def _public_idea(pk: int) -> Idea:
    """A visible idea of a public process; refused in the API's error format (core's handler)."""
    idea = selectors.public_idea(pk)
    if idea is None:
        raise DomainError(
            "idea_not_found", _("Diese Idee gibt es nicht oder sie ist nicht mehr sichtbar."), 404
        )
    return idea


@router.get("/processes", response=list[ProcessOut], summary="Beteiligungsprozesse")
@paginate(Pagination)
def process_list(request: HttpRequest) -> list[dict[str, Any]]:
    now = timezone.now()
    return [_process_out(p, now) for p in selectors.processes_public().order_by("-created_at", "-pk")]


@router.get("/processes/{slug}", response=ProcessOut, summary="Ein Beteiligungsprozess mit Phasen")
def process_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _process_out(_public_process(slug), timezone.now())


def _idea_out(idea: Idea, slug: str) -> dict[str, Any]:
    return {
        "id": idea.pk,
        "process": slug,
        "title": idea.title,
        "text": idea.text,
        "topic": idea.topic,
        "status": idea.status,
        "answer": idea.answer,
        "lat": idea.lat,
        "lon": idea.lon,
        "address": idea.address,
        "district": idea.district.name if idea.district else None,
        "channel": idea.channel,
        "support_count": idea.support_count,
        "comment_count": idea.comment_count,
        "cost": idea.cost,
        "strategy_project": (
            idea.strategy_project.slug if idea.strategy_project and idea.strategy_project.published else None
        ),
        "strategy_measure": str(idea.strategy_measure_key) if idea.strategy_measure_key else None,
        "created_at": idea.created_at,
    }


@router.get("/processes/{slug}/ideas", response=list[IdeaOut], summary="Ideen eines Prozesses")
@paginate(Pagination)
def idea_list(
    request: HttpRequest,
    slug: str,
    topic: str = "",
    district: ObjectId | None = None,
    status: str = "",
    sort: str = "newest",
) -> Any:
    process = _public_process(slug)
    if sort not in selectors.SORTS or sort == "random":
        sort = "newest"
    qs = selectors.ideas_filtered(process, topic=topic, district_id=district, status=status, sort=sort)
    return _LazyMap(qs, lambda i: _idea_out(i, slug))


class _LazyMap:
    """Let the paginator slice the queryset in SQL, then turn only that page into dicts."""

    def __init__(self, qs: Any, fn: Any) -> None:
        self.qs, self.fn = qs, fn

    def __len__(self) -> int:
        return int(self.qs.count())

    def count(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: slice) -> list[Any]:
        return [self.fn(obj) for obj in selectors.rows_by_ids(self.qs, item)]


@router.get("/ideas/{idea_id}", response=IdeaOut, summary="Eine Idee")
def idea_detail(request: HttpRequest, idea_id: ObjectId) -> dict[str, Any]:
    idea = _public_idea(idea_id)
    return _idea_out(idea, idea.process.slug)


@router.get("/ideas/{idea_id}/comments", response=list[CommentOut], summary="Kommentare einer Idee")
@paginate(Pagination)
def comment_list(request: HttpRequest, idea_id: ObjectId) -> Any:
    qs = selectors.comments_public(_public_idea(idea_id))
    return _LazyMap(
        qs,
        lambda c: {
            "id": c.pk,
            "parent": c.parent_id,
            "text": c.text,
            "author": c.author.public_name if c.author else "",
            "created_at": c.created_at,
            "edited": c.edited_at is not None,
        },
    )
