"""Read-only JSON API of participation under /api/v1/participation/.

Processes, phases, ideas (location, district, counts), comments and ballot results (aggregates
only). Every list is paginated (``limit``/``offset``); hidden or deleted contributions and draft
processes never appear. Errors are JSON ``{"code", "message"}``.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from konzeptk.core.errors import DomainError
from konzeptk.core.pagination import ObjectId, Pagination
from konzeptk.participation import selectors
from konzeptk.participation.models import Comment, Idea, Process

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


class BallotRowOut(Schema):
    idea: int
    title: str
    votes: int


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
        raise DomainError("process_not_found", "Diesen Beteiligungsprozess gibt es nicht.", 404)
    return process


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
    idea = (
        Idea.objects.visible()
        .select_related("district", "process")
        .defer("district__geometry")
        .filter(pk=idea_id, process__status__in=[Process.Status.PUBLISHED, Process.Status.ARCHIVED])
        .first()
    )
    if idea is None:
        raise DomainError("idea_not_found", "Diese Idee gibt es nicht oder sie ist nicht mehr sichtbar.", 404)
    return _idea_out(idea, idea.process.slug)


@router.get("/ideas/{idea_id}/comments", response=list[CommentOut], summary="Kommentare einer Idee")
@paginate(Pagination)
def comment_list(request: HttpRequest, idea_id: ObjectId) -> Any:
    idea = (
        Idea.objects.visible()
        .filter(pk=idea_id, process__status__in=[Process.Status.PUBLISHED, Process.Status.ARCHIVED])
        .first()
    )
    if idea is None:
        raise DomainError("idea_not_found", "Diese Idee gibt es nicht oder sie ist nicht mehr sichtbar.", 404)
    qs = (
        Comment.objects.filter(idea=idea, deleted_at__isnull=True, is_hidden=False)
        .select_related("author")
        .order_by("created_at", "pk")
    )
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


@router.get(
    "/processes/{slug}/ballot", response=list[BallotRowOut], summary="Ergebnis der Abstimmung (nach dem Ende)"
)
@paginate(Pagination)
def ballot_result(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    process = _public_process(slug)
    ballot = selectors.ballot_for(process)
    if ballot is None:
        raise DomainError("no_ballot", "Dieser Prozess hat keine Abstimmung.", 404)
    if timezone.now() < ballot.phase.end:
        raise DomainError(
            "ballot_running", "Das Ergebnis wird erst nach dem Ende der Abstimmung veröffentlicht.", 409
        )
    return [
        {"idea": r["idea"].pk, "title": r["idea"].title, "votes": r["votes"]}
        for r in selectors.ballot_results(ballot)
    ]


class SurveyRowOut(Schema):
    label: str
    count: int | None = Field(None, description="Anzahl der Antworten (Auswahl und Skala)")
    percent: int | None = Field(None, description="Anteil an den Personen, die die Frage beantwortet haben")
    average_rank: float | None = Field(None, description="durchschnittlicher Platz (Rangfolge)")


class SurveyQuestionOut(Schema):
    id: int
    text: str
    kind: str = Field(description="single, multiple, scale, text oder ranking")
    required: bool
    answered: int = Field(description="Zahl der Personen, die die Frage beantwortet haben")
    scale_min: int | None = Field(None, description="kleinster Wert der Skala (nur Skala)")
    scale_max: int | None = Field(None, description="größter Wert der Skala (nur Skala)")
    mean: float | None = Field(None, description="Mittelwert (nur Skala)")
    rows: list[SurveyRowOut] = Field(description="Zusammenfassung; freie Texte werden nicht ausgegeben")


class SurveyResultOut(Schema):
    id: int
    process: str
    title: str
    responses: int
    simulated: bool = Field(description="Beispielumfrage mit simulierten Antworten")
    questions: list[SurveyQuestionOut]


@router.get(
    "/surveys/{survey_id}/results",
    response=SurveyResultOut,
    summary="Ergebnisse einer Umfrage (nur Summen, keine einzelnen Antworten)",
)
def survey_result(request: HttpRequest, survey_id: ObjectId) -> dict[str, Any]:
    from konzeptk.participation.models import Survey

    survey = (
        Survey.objects.filter(
            pk=survey_id, process__status__in=[Process.Status.PUBLISHED, Process.Status.ARCHIVED]
        )
        .select_related("process")
        .first()
    )
    if survey is None:
        raise DomainError("survey_not_found", "Diese Umfrage gibt es nicht.", 404)
    results = selectors.survey_results(survey)
    questions = []
    for item in results["items"]:
        q = item["question"]
        rows = [
            {
                "label": r["label"],
                "count": r.get("count"),
                "percent": r.get("percent"),
                "average_rank": r.get("average"),
            }
            for r in item.get("rows", [])
        ]
        questions.append(
            {
                "id": q.pk,
                "text": q.text,
                "kind": q.kind,
                "required": q.required,
                "answered": item["answered"],
                "scale_min": q.scale_min if q.kind == "scale" else None,
                "scale_max": q.scale_max if q.kind == "scale" else None,
                "mean": item.get("mean"),
                "rows": rows,
            }
        )
    return {
        "id": survey.pk,
        "process": survey.process.slug,
        "title": survey.title,
        "responses": results["total"],
        "simulated": survey.is_demo,
        "questions": questions,
    }
