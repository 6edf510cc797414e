"""Read-only JSON API of insights under /api/v1/insights/: published aggregates only.

Representation of a process or the platform (cells of 1 to 4 people suppressed, as on the pages)
and the computed opinion landscape of a "Meinungsbild" phase (groups, consensus and bridging
statement ids with scores; no individual votes or positions). Errors are JSON ``{"code", "message"}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from konzeptk.core.errors import DomainError
from konzeptk.core.pagination import ObjectId
from konzeptk.insights import analysis
from konzeptk.insights.models import OpinionLandscape, Statement
from konzeptk.participation.models import Phase, Process

router = Router(tags=["Auswertungen"])


class RowOut(Schema):
    group: str
    participants: int | None = Field(description="null: verdeckt (weniger als 5 oder rückrechenbar)")
    population_share: float
    participant_share: float | None
    ratio: float | None
    ci_low: float | None
    ci_high: float | None
    under: bool


class TableOut(Schema):
    key: str
    title: str
    error: str
    rows: list[RowOut]


class RepresentationOut(Schema):
    process: str | None
    participants: int | None = Field(description="null bei 1 bis 4 Beteiligten")
    tables: list[TableOut]
    dissimilarity: float | None


class ScoredOut(Schema):
    statement: int
    text: str
    score: float


class LandscapeOut(Schema):
    phase: int
    status: str
    message: str
    stale: bool
    participants: int | None
    groups: list[int | None] = Field(description="Größe je Meinungsgruppe; null bei weniger als 5")
    consensus: list[ScoredOut]
    bridging: list[ScoredOut]


def _rep(process: Process | None) -> dict[str, Any]:
    report = analysis.cached(
        "representation", process, lambda: analysis.representation_report(process), False
    )
    return {
        "process": process.slug if process else None,
        "participants": None if 0 < report.participants < analysis.MIN else report.participants,
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "error": t.error,
                "rows": [
                    {
                        "group": r.label,
                        "participants": r.participants,
                        "population_share": r.population_share,
                        "participant_share": r.participant_share,
                        "ratio": r.ratio,
                        "ci_low": r.ci_low,
                        "ci_high": r.ci_high,
                        "under": r.under,
                    }
                    for r in t.rows
                ],
            }
            for t in report.tables
        ],
        "dissimilarity": report.current_dissimilarity,
    }


@router.get(
    "representation", response=RepresentationOut, summary="Beteiligte und Bevölkerung, ganze Plattform"
)
def platform_representation(request: HttpRequest) -> dict[str, Any]:
    return _rep(None)


@router.get(
    "processes/{slug}/representation",
    response=RepresentationOut,
    summary="Beteiligte und Bevölkerung eines Verfahrens",
)
def process_representation(request: HttpRequest, slug: str) -> dict[str, Any]:
    process = Process.objects.public().filter(slug=slug).prefetch_related("phases").first()
    if process is None:
        raise DomainError("unknown_process", "Diesen Beteiligungsprozess gibt es nicht.", 404)
    return _rep(process)


@router.get("landscapes/{phase_id}", response=LandscapeOut, summary="Ergebnis eines Meinungsbilds")
def landscape(request: HttpRequest, phase_id: ObjectId) -> dict[str, Any]:
    phase = Phase.objects.filter(
        pk=phase_id, type="meinungsbild", process__in=Process.objects.public()
    ).first()
    if phase is None:
        raise DomainError("unknown_phase", "Dieses Meinungsbild gibt es nicht.", 404)
    row = OpinionLandscape.objects.filter(phase=phase).first()
    if row is None or row.status != OpinionLandscape.Status.OK:
        return {
            "phase": phase.pk,
            "status": row.status if row else OpinionLandscape.Status.EMPTY,
            "message": row.message if row else "",
            "stale": row.stale if row else True,
            "participants": None,
            "groups": [],
            "consensus": [],
            "bridging": [],
        }
    result = row.result
    ids = {int(s) for s, _ in result["consensus"] + result["bridging"]}
    texts = dict(Statement.objects.filter(pk__in=ids).values_list("pk", "text"))
    return {
        "phase": phase.pk,
        "status": row.status,
        "message": row.message,
        "stale": row.stale,
        "participants": result["participants"] if result["participants"] >= analysis.MIN else None,
        "groups": [s if s >= analysis.MIN else None for s in result["group_sizes"]],
        "consensus": [
            {"statement": int(s), "text": texts.get(int(s), ""), "score": v} for s, v in result["consensus"]
        ],
        "bridging": [
            {"statement": int(s), "text": texts.get(int(s), ""), "score": v} for s, v in result["bridging"]
        ],
    }
