"""The surveys section of a person's data export (DSGVO Art. 15 and 20), found by the export registry."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import declare_no_personal_data, register_export_section
from konzeptk.accounts.models import User
from konzeptk.surveys.models import Answer, Response


def survey_responses_section(user: User) -> list[dict[str, Any]]:
    answers = Answer.objects.select_related("question", "choice").order_by("question__order", "pk")
    responses = (
        Response.objects.filter(user=user)
        .select_related("survey")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("created_at", "pk")
    )
    return [
        {
            "survey": response.survey_id,
            "survey_title": response.survey.title,
            "at": response.created_at.isoformat(),
            "answers": [
                {
                    "question": answer.question.text,
                    "choice": answer.choice.text if answer.choice else None,
                    "value": answer.value,
                    "text": answer.text,
                }
                for answer in response.answers.all()
            ],
        }
        for response in responses
    ]


register_export_section(
    "surveys.responses",
    survey_responses_section,
    models=[Response, Answer],
    title=_("Antworten in Umfragen"),
    purpose=_("Ihre Antworten auf Fragebögen; ausgewertet werden sie nur zusammengefasst."),
    retention=_("bis Sie Ihr Konto löschen; danach bleiben angekreuzte Antworten ohne Bezug zu Ihnen"),
    recipients=_("die Veranstalter:innen des Prozesses sehen Ergebnisse, keine einzelnen Personen"),
)

declare_no_personal_data(
    "surveys.Survey",
    "surveys.Question",
    "surveys.Choice",
    reason="Questionnaires, their questions and choices are written by the organising organisation for "
    "the public; who answered is stored in responses and answers.",
)
