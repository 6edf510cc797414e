"""Read-only JSON API of surveys under /api/v1/participation/surveys/ (aggregates only, never a
single answer or a free text). Mounted next to participation's router under the same prefix and tag,
so the paths and the OpenAPI schema stay what they were before the surveys got a room of their own.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from konzeptk.core.errors import DomainError
from konzeptk.core.pagination import ObjectId
from konzeptk.surveys import selectors

router = Router(tags=["Beteiligung"])


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
    # the operation id it had in participation's router (clients generated from the schema keep working)
    operation_id="konzeptk_participation_api_survey_result",
)
def survey_result(request: HttpRequest, survey_id: ObjectId) -> dict[str, Any]:
    survey = selectors.public_survey(survey_id)
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
