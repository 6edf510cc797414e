"""Demo content of surveys: the example survey "Digitale Bildung für alle Altersgruppen" of the VHS
Krefeld/Neukirchen-Vluyn with 100 SIMULATED answers (marked as simulated on the pages and in the data).
The intro names no number: insights' demo lets its simulated participants answer the survey as well
(for the weighted results), so the survey holds more than these 100 – the results page says how many.

Everything goes through the services a person uses (process and phases through participation's,
questionnaire, questions and answers through this app's), so the demo exercises the same paths.
Idempotent: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from konzeptk.accounts.models import Organisation, User
from konzeptk.city.demo_data import demo_data
from konzeptk.core.content import OTHER_LANGUAGES, translations_from
from konzeptk.participation.dumps import participation_dumps_write
from konzeptk.participation.models import Process
from konzeptk.participation.services import phase_add, process_create
from konzeptk.surveys import services
from konzeptk.surveys.models import Survey
from konzeptk.surveys.phase_type import KEY
from konzeptk.surveys.services import AnswerValue

PROCESS_SLUG = "digitale-bildung"
TITLE = "Digitale Bildung für alle Altersgruppen"
TEASER = "Welche Angebote brauchen Sie, um digital gut mitzukommen? (Beispielumfrage)"
SIMULATED = 100

SURVEY_QUESTIONS: list[dict[str, Any]] = [
    {
        "text": "Wie alt sind Sie?",
        "kind": "single",
        "choices": ["unter 18", "18 bis 29", "30 bis 49", "50 bis 64", "65 bis 79", "80 und älter"],
        "weights": [8, 14, 24, 22, 22, 10],
    },
    {
        "text": "Welche Angebote zur digitalen Bildung nutzen Sie schon?",
        "kind": "multiple",
        "required": False,
        "choices": [
            "Kurse der VHS (Smartphone, Tablet, Office)",
            "Mediothek (E-Medien, Sprechstunden)",
            "Angebote der Schule oder Hochschule",
            "Digitalcafés und Treffs im Stadtteil",
            "keine",
        ],
        "weights": [30, 35, 20, 15, 20],
    },
    {
        "text": "Wie sicher fühlen Sie sich im Umgang mit digitalen Diensten der Stadt?",
        "kind": "scale",
        "low": "gar nicht sicher",
        "high": "sehr sicher",
        "weights": [10, 18, 30, 27, 15],
    },
    {
        "text": "Was ist Ihnen am wichtigsten? Bringen Sie die Punkte in eine Reihenfolge.",
        "kind": "ranking",
        "choices": [
            "kostenlose Kurse für Senior:innen",
            "freies WLAN in öffentlichen Gebäuden",
            "Geräte zum Ausleihen",
            "Hilfe bei Online-Anträgen im Bürgerbüro",
        ],
    },
    {
        "text": "Was fehlt Ihnen in Krefeld, um digital gut mitzukommen?",
        "kind": "text",
        "required": False,
        "answers": [
            "Kurse am Abend, nicht nur vormittags.",
            "Hilfe in türkischer und arabischer Sprache.",
            "Ein Ort im Stadtteil, an dem man einfach Fragen stellen kann.",
            "Mehr Geduld mit Älteren.",
            "WLAN in der Mediothek ist gut – mehr davon in den Bezirken.",
        ],
    },
]


def _process(now: dt.datetime) -> Process:
    """The demo process in its survey phase (created once)."""
    existing = Process.objects.filter(slug=PROCESS_SLUG).first()
    if existing is not None:
        return existing
    vhs, _created = Organisation.objects.get_or_create(
        slug="vhs-krefeld", defaults={"name": "VHS Krefeld/Neukirchen-Vluyn"}
    )
    process = process_create(
        organiser=vhs,
        slug=PROCESS_SLUG,
        title=TITLE,
        teaser=TEASER,
        description="Eine Beispielumfrage für die Demo. Die bisherigen Antworten sind simuliert.",
        topics=["bildung"],
        status=Process.Status.PUBLISHED,
        is_demo=True,
        translations=translations_from(_translations(), {"title": TITLE, "teaser": TEASER}),
    )
    start, switch = now - dt.timedelta(days=14), now + dt.timedelta(days=60)
    phase_add(process=process, type=KEY, start=start, end=switch)
    phase_add(process=process, type="results", start=switch, end=now + dt.timedelta(days=400))
    return process


def _questionnaire(process: Process, staff: User) -> Survey:
    """The questionnaire with its questions (created once)."""
    survey = Survey.objects.filter(process=process, title=TITLE).first()
    if survey is not None:
        return survey
    phase = next(p for p in process.phases.all() if p.type == KEY)
    survey = services.survey_create(
        phase=phase,
        by=staff,
        title=TITLE,
        intro="Die Stadt möchte wissen, welche Angebote zur digitalen Bildung fehlen – für Kinder, "
        "Berufstätige und Senior:innen.\n\nBeispielumfrage: Alle Antworten sind simuliert. Wie viele Fragebögen "
        "ausgefüllt sind, steht bei den Ergebnissen.",
        allows_anonymous=True,
        is_demo=True,
        translations=translations_from(_translations(), {"title": TITLE}),
    )
    table = _translations()
    for spec in SURVEY_QUESTIONS:
        german = {
            "text": spec["text"],
            "scale_low_label": spec.get("low", ""),
            "scale_high_label": spec.get("high", ""),
        }
        translations = translations_from(table, german)
        for code in OTHER_LANGUAGES:  # the choices in each language, one per line in their order
            translations[f"choices_{code}"] = "\n".join(
                table.get(choice, {}).get(code, "") for choice in spec.get("choices", [])
            )
        services.question_save(
            survey=survey,
            by=staff,
            text=spec["text"],
            kind=spec["kind"],
            required=spec.get("required", True),
            choices=spec.get("choices", []),
            scale_low_label=spec.get("low", ""),
            scale_high_label=spec.get("high", ""),
            translations=translations,
        )
    return survey


def _translations() -> dict[str, dict[str, str]]:
    """The demo's translations of content (German text → language → text), ``translations.json``."""
    texts: dict[str, dict[str, str]] = (demo_data("translations") or {}).get("texts", {})
    return texts


def _simulated_answers(survey: Survey, rng: random.Random) -> int:
    """SIMULATED filled-in questionnaires from as many browsers, marked as simulated (once)."""
    if survey.responses.exists():
        return 0
    questions = list(survey.questions.prefetch_related("choices"))
    nobody = AnonymousUser()
    for n in range(SIMULATED):
        answers: dict[int, AnswerValue] = {}
        for question, spec in zip(questions, SURVEY_QUESTIONS, strict=True):
            ids = [c.pk for c in question.choices.all()]
            if question.kind == "single":
                answers[question.pk] = rng.choices(ids, weights=spec["weights"])[0]
            elif question.kind == "multiple":
                picked = {c for c, w in zip(ids, spec["weights"], strict=True) if rng.random() < w / 60}
                if picked:
                    answers[question.pk] = sorted(picked)
            elif question.kind == "scale":
                answers[question.pk] = rng.choices(question.scale_values, weights=spec["weights"])[0]
            elif question.kind == "ranking":
                answers[question.pk] = sorted(ids, key=lambda c: rng.random() + ids.index(c) * 0.3)
            elif rng.random() < 0.3:
                answers[question.pk] = rng.choice(spec["answers"])
        services.survey_answer(
            survey=survey, user=nobody, browser_token=f"simuliert-{n}", answers=answers, is_demo=True
        )
    return SIMULATED


def load_demo(*, out: TextIO) -> None:
    staff = User.objects.filter(email="admin@demo.konzeptk.invalid").first()
    if staff is None:
        out.write("surveys: kein Demo-Konto admin@ – erst die Demo-Konten laden.\n")
        return
    process = _process(timezone.now())
    survey = _questionnaire(process, staff)
    simulated = _simulated_answers(survey, random.Random(2022))
    if simulated:
        participation_dumps_write()  # the open-data dumps get the survey's results
    out.write(f"surveys: Beispielumfrage „{survey.title}“, {simulated} neue simulierte Antworten\n")
