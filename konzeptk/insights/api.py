"""Read-only JSON API of insights under /api/v1/insights/: published aggregates only.

Representation of a process or the platform – today's, or a stored day's with ``?day=YYYY-MM-DD`` –
with every count of people published through the cell-key method (``insights/engine/disclosure.py``:
each count is changed by at most ``max_deviation``, the same people always give the same number,
counts of 1 to 4 are never shown as themselves), and the computed opinion landscape of a "Meinungsbild" phase (groups, consensus and bridging
statement ids with scores; no individual votes or positions). Errors are JSON ``{"code", "message"}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from konzeptk.core.errors import DomainError
from konzeptk.core.pagination import ObjectId
from konzeptk.insights import analysis, privacy, selectors
from konzeptk.insights.models import OpinionLandscape
from konzeptk.participation.models import Process

router = Router(tags=["Auswertungen"])


PROTECTION = (
    "Datenschutz: Alle Zahlen von Personen sind leicht verändert (Cell-Key-Verfahren wie beim Zensus 2022), "
    f"damit niemand erkannt werden kann – um höchstens ±{privacy.MAX_DEVIATION}. Dieselben Personen ergeben immer dieselbe Zahl, "
    "in jeder Tabelle und an jedem Tag; eine echte Zahl von 1 bis 4 wird nie unverändert gezeigt, 0 bleibt 0. "
    "Summen können deshalb von der Summe der Teile abweichen; Anteile, Verhältnisse, Intervalle und "
    "Einstufungen sind aus den veränderten Zahlen berechnet."
)


class RowOut(Schema):
    group: str
    key: str = Field(
        description="Schlüssel der Gruppe: Bezirks-ID, Altersgruppe, Geschlecht oder 'Bezirk|Alter'"
    )
    participants: int | None = Field(
        description="veröffentlichte Zahl (höchstens ±max_deviation von der echten); null nur in alten Ständen"
    )
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
    total: int | None = Field(
        description="veröffentlichte Zahl aller Beteiligten mit Angabe in dieser Tabelle"
    )
    rows: list[RowOut]


class RepresentationOut(Schema):
    process: str | None
    day: dt.date | None = Field(description="Tag des gespeicherten Stands; null: heute, frisch berechnet")
    participants: int | None = Field(description="veröffentlichte Zahl der Beteiligten")
    max_deviation: int = Field(description="größte Abweichung einer veröffentlichten Zahl von der echten")
    protection: str
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
    groups: list[int | None] = Field(
        description="Größe je Meinungsgruppe, veröffentlicht mit dem Cell-Key-Verfahren (höchstens ±2)"
    )
    consensus: list[ScoredOut]
    bridging: list[ScoredOut]


def _table(t: analysis.RepTable) -> dict[str, Any]:
    return {
        "key": t.key,
        "title": t.title,
        "error": t.error,
        "total": None if t.error else t.known,
        "rows": [
            {
                "group": r.label,
                "key": r.group,
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


def _rep(process: Process | None, day: dt.date | None) -> dict[str, Any]:
    common = {
        "process": process.slug if process else None,
        "max_deviation": privacy.MAX_DEVIATION,
        "protection": PROTECTION,
    }
    if day is not None:
        stored = analysis.representation_on(process, day)
        if stored is None:
            raise DomainError("unknown_day", "Für diesen Tag ist kein Stand gespeichert.", 404)
        return {
            **common,
            "day": stored.day,
            "participants": stored.participants,
            "tables": [_table(t) for t in stored.tables],
            "dissimilarity": stored.dissimilarity,
        }
    report = analysis.cached(
        "representation", process, lambda: analysis.representation_report(process), False
    )
    return {
        **common,
        "day": None,
        "participants": report.participants,
        "tables": [_table(t) for t in report.tables],
        "dissimilarity": report.current_dissimilarity,
    }


DESCRIPTION = (
    "Beteiligte im Vergleich zur Bevölkerung nach Stadtbezirk, Alter, Geschlecht und zwei Kombinationen. "
    "Mit ?day=JJJJ-MM-TT der an diesem Tag gespeicherte Stand (404, wenn es keinen gibt). " + PROTECTION
)


@router.get(
    "representation",
    response=RepresentationOut,
    summary="Beteiligte und Bevölkerung, ganze Plattform",
    description=DESCRIPTION,
)
def platform_representation(request: HttpRequest, day: dt.date | None = None) -> dict[str, Any]:
    return _rep(None, day)


@router.get(
    "processes/{slug}/representation",
    response=RepresentationOut,
    summary="Beteiligte und Bevölkerung eines Verfahrens",
    description=DESCRIPTION,
)
def process_representation(request: HttpRequest, slug: str, day: dt.date | None = None) -> dict[str, Any]:
    process = selectors.public_process(slug)
    if process is None:
        raise DomainError("unknown_process", "Diesen Beteiligungsprozess gibt es nicht.", 404)
    return _rep(process, day)


@router.get("landscapes/{phase_id}", response=LandscapeOut, summary="Ergebnis eines Meinungsbilds")
def landscape(request: HttpRequest, phase_id: ObjectId) -> dict[str, Any]:
    phase = selectors.public_opinion_phase(phase_id)
    if phase is None:
        raise DomainError("unknown_phase", "Dieses Meinungsbild gibt es nicht.", 404)
    row = selectors.landscape_of(phase)
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
    texts = selectors.statement_texts(ids)
    return {
        "phase": phase.pk,
        "status": row.status,
        "message": row.message,
        "stale": row.stale,
        # counts of people as published (cell-key method); a result computed before it has none
        "participants": (result.get("published") or {}).get("participants"),
        "groups": (result.get("published") or {}).get("group_sizes") or [None] * len(result["group_sizes"]),
        "consensus": [
            {"statement": int(s), "text": texts.get(int(s), ""), "score": v} for s, v in result["consensus"]
        ],
        "bridging": [
            {"statement": int(s), "text": texts.get(int(s), ""), "score": v} for s, v in result["bridging"]
        ],
    }
