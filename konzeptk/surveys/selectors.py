"""Reads of the surveys app: the questionnaire a page shows, and the published results.

Every count of people a results page, the API, the CSV dumps or insights publish is passed through
the platform's disclosure control (cell-key method of ``konzeptk/insights/engine/disclosure.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, QuerySet

from konzeptk.core import numbers
from konzeptk.insights.engine import disclosure
from konzeptk.participation.models import Phase, Process
from konzeptk.participation.selectors import process_by_slug
from konzeptk.surveys.models import Answer, Question, Response, Survey
from konzeptk.surveys.rules import Person, account_id

TEXT_ANSWERS_SHOWN = 200
CHART_WIDTH = 640
CHART_LABEL = 230
CHART_ROW = 30
#: surveys with fewer published questionnaires than this show nothing but their number
MIN_GROUP = 5
#: published counts are changed by at most this much (cell-key method of the insights engine)
MAX_DEVIATION = disclosure.MAX_DEVIATION


def process_of(slug: str) -> Process | None:
    """The process of a survey page (with its phases)."""
    return process_by_slug(slug)


def survey_of(process: Process, pk: int) -> Survey | None:
    """A questionnaire of ``process`` (its phase joined); ``survey.process`` is ``process`` itself."""
    survey = Survey.objects.filter(process=process, pk=pk).select_related("phase").first()
    if survey is not None:
        survey.process = process
    return survey


def public_survey(pk: int) -> Survey | None:
    """A questionnaire of a published or archived process (the API)."""
    return (
        Survey.objects.filter(pk=pk, process__status__in=[Process.Status.PUBLISHED, Process.Status.ARCHIVED])
        .select_related("process")
        .first()
    )


def has_answered(survey: Survey, user: Person, browser_token: str) -> bool:
    """Whether this account (signed in) or this browser (its token) has filled in the questionnaire."""
    mine = Response.objects.filter(survey=survey)
    account = account_id(user)
    if account is not None:
        return mine.filter(user_id=account).exists()
    return bool(browser_token) and mine.filter(browser_token=browser_token).exists()


def questions_of(survey: Survey) -> list[Question]:
    """The questions in order, their choices prefetched."""
    return list(survey.questions.prefetch_related("choices"))


def response_count(survey: Survey) -> int:
    return survey.responses.count()


def surveys_for_process_page(process: Process, *, with_empty: bool) -> list[Survey]:
    """The questionnaires of the process; one without questions only ``with_empty`` (its organisers)."""
    surveys = (
        Survey.objects.filter(process=process)
        .select_related("phase")
        .annotate(n_questions=Count("questions"))
    )
    return [s for s in surveys if s.n_questions or with_empty]


def surveys_of_phase(phase: Phase) -> QuerySet[Survey]:
    """The questionnaires of a phase with their numbers of questions and answers (phase editor)."""
    return (
        Survey.objects.filter(phase=phase)
        .annotate(
            n_questions=Count("questions", distinct=True), n_responses=Count("responses", distinct=True)
        )
        .order_by("pk")
    )


def _bars(rows: list[dict[str, Any]], key: str, maximum: float) -> dict[str, Any]:
    """Horizontal bar geometry (plain numbers; the template renders them with localisation off)."""
    span = CHART_WIDTH - CHART_LABEL - 70
    bars = []
    for index, row in enumerate(rows):
        value = float(row[key] or 0)
        label = str(row["label"])
        width = round(span * value / maximum, 1) if maximum else 0
        bars.append(
            {
                "y": index * CHART_ROW + 6,
                "text_y": index * CHART_ROW + 21,
                "width": width,
                "value_x": CHART_LABEL + width + 6,
                "label": label if len(label) <= 32 else label[:31] + "…",
                "value": row[key],
                # for core/_bars.html: the bar in per cent of the longest, the value as the page writes it
                "percent": round(100 * value / maximum, 1) if maximum else 0,
                "text": numbers.number(value, 2),
            }
        )
    return {"bars": bars, "height": len(rows) * CHART_ROW + 12, "width": CHART_WIDTH, "x": CHART_LABEL}


def _percent(count: int, whole: int) -> int:
    """A share of published counts in whole percent, held in 0–100 (parts may exceed the whole)."""
    return min(100, round(100 * count / whole)) if whole > 0 else 0


def _keyring() -> disclosure.Keyring:
    return disclosure.Keyring(disclosure.secret_from(settings.DISCLOSURE_KEY, str(settings.SECRET_KEY)))


def survey_results(survey: Survey) -> dict[str, Any]:
    """Aggregates of a survey in a fixed number of queries: counts per choice and scale value, average
    rank per choice, the newest free-text answers.

    Every count of people (filled-in questionnaires, answers to a question, answers per choice or
    scale value) is published through the platform's disclosure control, the cell-key method of
    ``konzeptk/insights/engine/disclosure.py``: each filled-in questionnaire has a fixed record key,
    a count is changed by at most ``max_deviation`` according to the questionnaires it counts, the
    same questionnaires always give the same number, and counts of 1 to 4 are never shown as
    themselves. Shares and the scale mean are computed from the published counts."""
    ring = _keyring()
    questions = questions_of(survey)
    total = ring.cell(
        [f"r{pk}" for pk in Response.objects.filter(survey=survey).values_list("pk", flat=True)]
    )
    answers = Answer.objects.filter(question__survey=survey)
    choice_members: dict[tuple[int, int], list[str]] = {}
    for question_id, choice_id, response_id in answers.filter(choice__isnull=False).values_list(
        "question_id", "choice_id", "response_id"
    ):
        choice_members.setdefault((question_id, choice_id), []).append(f"r{response_id}")
    averages = {
        (r["question_id"], r["choice_id"]): r["avg"]
        for r in answers.filter(question__kind=Question.Kind.RANKING)
        .values("question_id", "choice_id")
        .annotate(avg=Avg("value"))
    }
    scale_members: dict[tuple[int, int | None], list[str]] = {}
    for question_id, value, response_id in answers.filter(question__kind=Question.Kind.SCALE).values_list(
        "question_id", "value", "response_id"
    ):
        scale_members.setdefault((question_id, value), []).append(f"r{response_id}")
    answered_members: dict[int, set[str]] = {}
    for question_id, response_id in answers.values_list("question_id", "response_id"):
        answered_members.setdefault(question_id, set()).add(f"r{response_id}")
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        answers.filter(question__kind=Question.Kind.TEXT)
        .exclude(text="")
        .order_by("-response__created_at", "-pk")
        .values_list("question_id", "text")[: TEXT_ANSWERS_SHOWN * max(1, len(questions))]
    ):
        bucket = texts.setdefault(question_id, [])
        if len(bucket) < TEXT_ANSWERS_SHOWN:
            bucket.append(text)
    items = []
    for question in questions:
        item: dict[str, Any] = {
            "question": question,
            "answered": ring.cell(answered_members.get(question.pk, set())),
        }
        rows: list[dict[str, Any]]
        if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            rows = [
                {"label": c.text, "count": ring.cell(choice_members.get((question.pk, c.pk), []))}
                for c in question.choices.all()
            ]
            for row in rows:
                row["percent"] = _percent(row["count"], item["answered"])
            item["rows"] = rows
            item["chart"] = _bars(rows, "count", max([r["count"] for r in rows] + [1]))
        elif question.kind == Question.Kind.SCALE:
            rows = [
                {"label": str(v), "count": ring.cell(scale_members.get((question.pk, v), []))}
                for v in question.scale_values
            ]
            for row in rows:
                row["percent"] = _percent(row["count"], item["answered"])
            item["rows"] = rows
            count = sum(r["count"] for r in rows)
            item["mean"] = (
                round(sum(int(r["label"]) * r["count"] for r in rows) / count, 2) if count else None
            )
            item["chart"] = _bars(rows, "count", max([r["count"] for r in rows] + [1]))
        elif question.kind == Question.Kind.RANKING:
            ranked: list[dict[str, Any]] = []
            for c in question.choices.all():
                average = averages.get((question.pk, c.pk))
                ranked.append(
                    {"label": c.text, "average": round(average, 2) if average is not None else None}
                )
            ranked.sort(key=lambda r: (r["average"] is None, r["average"] or 0))
            n = len(ranked)
            # Longer bar = better place: n + 1 − average rank.
            for row in ranked:
                row["score"] = round(n + 1 - row["average"], 2) if row["average"] is not None else 0
            item["rows"] = ranked
            item["chart"] = _bars(ranked, "score", float(n))
        else:
            item["texts"] = texts.get(question.pk, [])
        items.append(item)
    return _withhold_small_surveys({"total": total, "items": items})


def _withhold_small_surveys(results: dict[str, Any]) -> dict[str, Any]:
    """Below MIN_GROUP + MAX_DEVIATION published questionnaires (so always when fewer than 5 were
    really filled in, and decided on the published number alone, so withholding tells nothing more)
    nothing but the number is shown: no counts, shares, means or free texts."""
    results["min_group"] = disclosure.MIN_DESCRIBED
    results["max_deviation"] = MAX_DEVIATION
    results["withheld"] = not disclosure.large_enough(results["total"])
    for item in results["items"]:
        if results["withheld"]:
            item.pop("chart", None)
            item["rows"], item["texts"], item["mean"] = [], [], None
    return results


def survey_export_rows(survey: Survey) -> tuple[list[str], Iterator[list[str]]]:
    """Header and an iterator of rows (one per filled-in questionnaire) for the CSV export. Accounts are
    not named: the export says only whether an answer came from an account or a browser."""
    questions = questions_of(survey)
    header = ["Nr.", "Datum", "Weg", "simuliert"] + [q.text for q in questions]

    def rows() -> Iterator[list[str]]:
        responses = Response.objects.filter(survey=survey).order_by("pk")
        for start in range(0, responses.count(), 500):
            chunk = list(responses[start : start + 500])
            by_response: dict[int, list[Answer]] = {}
            for a in (
                Answer.objects.filter(response__in=chunk)
                .select_related("choice")
                .order_by("response_id", "question_id", "value", "pk")
            ):
                by_response.setdefault(a.response_id, []).append(a)
            for response in chunk:
                per_question: dict[int, list[Answer]] = {}
                for a in by_response.get(response.pk, []):
                    per_question.setdefault(a.question_id, []).append(a)
                cells = [_cell(q, per_question.get(q.pk, [])) for q in questions]
                yield [
                    str(response.pk),
                    response.created_at.date().isoformat(),
                    "Konto" if response.user_id else "Browser",
                    "ja" if response.is_demo else "nein",
                    *cells,
                ]

    return header, rows()


def _cell(question: Question, given: list[Answer]) -> str:
    if question.kind == Question.Kind.TEXT:
        return given[0].text if given else ""
    if question.kind == Question.Kind.SCALE:
        return str(given[0].value) if given else ""
    labels = [a.choice.text for a in given if a.choice is not None]
    return " > ".join(labels) if question.kind == Question.Kind.RANKING else "; ".join(labels)


def public_surveys() -> QuerySet[Survey]:
    """Questionnaires of published and archived processes (the open-data dumps)."""
    return (
        Survey.objects.filter(process__in=Process.objects.public().values("pk"))
        .select_related("process")
        .order_by("pk")
    )
