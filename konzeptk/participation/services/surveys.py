"""Writes of the participation app: typed, keyword-only, each in one transaction. (surveys)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from konzeptk.participation import rules
from konzeptk.participation.models import (
    TEXT_MAX,
    TITLE_MAX,
    Phase,
    Process,
)
from konzeptk.participation.services.ballots import SURVEY_TEXT_MAX
from konzeptk.participation.services.common import _clean_text, _denied


def survey_answer(
    *, survey: Any, user: Any, browser_token: str, answers: dict[int, Any], is_demo: bool = False
) -> Any:
    """Save one filled-in questionnaire, or nothing.

    ``answers`` maps question id to: choice id (single), list of choice ids (multiple), a value of the scale (scale),
    text (free text), choice ids in ranked order (ranking); missing or empty = not answered.
    Signed-in people answer once per account, people without an account once per browser.
    """
    from konzeptk.participation.models import Answer, Question, Response

    denial = rules.survey_denial(user, survey)
    if denial:
        raise _denied(denial)
    authenticated = bool(user.is_authenticated)
    if not authenticated and not browser_token:
        raise _denied(_("Ohne Cookie kann Ihr Browser nur einmal antworten; bitte erlauben Sie Cookies."))
    already = Response.objects.filter(survey=survey)
    already = already.filter(user=user) if authenticated else already.filter(browser_token=browser_token)
    if already.exists():
        raise _denied(_("Sie haben diese Umfrage bereits beantwortet."), code="already_answered")
    questions = list(survey.questions.prefetch_related("choices"))
    rows: list[Answer] = []
    errors: dict[str, list[str]] = {}
    for question in questions:
        value: Any = answers.get(question.pk)
        empty = value in (None, "", [], ())
        if empty:
            if question.required:
                errors.setdefault(f"q{question.pk}", []).append(_("Bitte beantworten Sie diese Frage."))
            continue
        choice_ids = {c.pk for c in question.choices.all()}
        kind = question.kind
        if kind == Question.Kind.SINGLE and value in choice_ids:
            rows.append(Answer(question=question, choice_id=value))
        elif kind == Question.Kind.MULTIPLE and set(value) <= choice_ids:
            rows.extend(Answer(question=question, choice_id=c) for c in sorted(set(value)))
        elif kind == Question.Kind.SCALE and value in question.scale_values:
            rows.append(Answer(question=question, value=value))
        elif kind == Question.Kind.TEXT and isinstance(value, str) and len(value) <= SURVEY_TEXT_MAX:
            rows.append(Answer(question=question, text=value))
        elif kind == Question.Kind.RANKING and sorted(value) == sorted(choice_ids):
            rows.extend(
                Answer(question=question, choice_id=c, value=rank) for rank, c in enumerate(value, start=1)
            )
        else:
            errors.setdefault(f"q{question.pk}", []).append(_("Diese Antwort ist ungültig."))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                user=user if authenticated else None,
                browser_token="" if authenticated else browser_token,
                is_demo=is_demo,
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise _denied(_("Sie haben diese Umfrage bereits beantwortet."), code="already_answered") from exc
    return response


# --- surveys: the questionnaire editor -------------------------------------------------------

#: a scale runs between these values (answers are stored as small positive integers)
SCALE_LOWEST, SCALE_HIGHEST = 0, 10
CHOICES_MAX = 30
RANKING_CHOICES_MAX = 10
QUESTION_MAX, CHOICE_MAX, SCALE_LABEL_MAX = 500, 200, 80


def survey_is_locked(survey: Any) -> bool:
    """Once a questionnaire has been filled in, its questions and choices keep their meaning."""
    from konzeptk.participation.models import Response

    return Response.objects.filter(survey=survey).exists()


def _require_survey_editor(by: Any, process: Process) -> None:
    if not rules.is_editor(by, process):
        raise _denied(_("Nur die veranstaltende Organisation kann die Fragebögen dieses Prozesses ändern."))


def _gather(errors: dict[str, list[str]], check: Any) -> Any:
    """Run ``check``; collect its field messages into ``errors`` instead of stopping at the first."""
    try:
        return check()
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
        return None


def _survey_texts(title: str, intro: str) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    values = {
        "title": _gather(
            errors, lambda: _clean_text(title, field="title", label=_("Titel"), max_length=TITLE_MAX)
        ),
        "intro": _gather(
            errors,
            lambda: _clean_text(
                intro, field="intro", label=_("Einleitung"), max_length=TEXT_MAX, required=False
            ),
        ),
    }
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def survey_create(
    *, phase: Phase, by: Any, title: str, intro: str = "", allows_anonymous: bool = False
) -> Any:
    """A questionnaire for a phase that opens surveys (the questions are added in the editor)."""
    from konzeptk.participation.models import Survey

    _require_survey_editor(by, phase.process)
    if not phase.phase_type.has_feature("answer", Survey):
        raise _denied(_("Fragebögen gehören zu einer Phase der Art „Umfrage“."))
    return Survey.objects.create(
        process=phase.process,
        phase=phase,
        allows_anonymous=bool(allows_anonymous),
        **_survey_texts(title, intro),
    )


@transaction.atomic
def survey_update(
    *, survey: Any, by: Any, title: str, intro: str = "", allows_anonymous: bool = False
) -> Any:
    """Title, introduction and whether people without an account may answer (always allowed: it
    changes who may answer from now on, not what earlier answers mean)."""
    _require_survey_editor(by, survey.process)
    for field, value in _survey_texts(title, intro).items():
        setattr(survey, field, value)
    survey.allows_anonymous = bool(allows_anonymous)
    survey.save(update_fields=["title", "intro", "allows_anonymous"])
    return survey


@transaction.atomic
def survey_delete(*, survey: Any, by: Any) -> None:
    _require_survey_editor(by, survey.process)
    if survey_is_locked(survey):
        raise _denied(_("Diese Umfrage wurde schon beantwortet. Sie kann nicht mehr gelöscht werden."))
    survey.delete()


def _lock_survey(survey: Any) -> None:
    """Serialise edits of one questionnaire with each other (PostgreSQL row lock)."""
    from konzeptk.participation.models import Survey

    list(Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk", flat=True))


def _clean_choices(kind: str, lines: list[str]) -> list[str]:
    from konzeptk.participation.models import Question

    texts = [str(line).replace("\x00", "").strip() for line in lines]
    texts = [t for t in texts if t]
    if kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKING):
        return []
    if len(texts) < 2:
        raise ValidationError(
            {"choices": _("Bitte geben Sie mindestens zwei Antwortmöglichkeiten an, eine pro Zeile.")}
        )
    limit = RANKING_CHOICES_MAX if kind == Question.Kind.RANKING else CHOICES_MAX
    if len(texts) > limit:
        raise ValidationError(
            {"choices": _("Bitte geben Sie höchstens %(max)d Antwortmöglichkeiten an.") % {"max": limit}}
        )
    too_long = [t for t in texts if len(t) > CHOICE_MAX]
    if too_long:
        raise ValidationError(
            {
                "choices": _("Eine Antwortmöglichkeit darf höchstens %(max)d Zeichen lang sein.")
                % {"max": CHOICE_MAX}
            }
        )
    if len({t.casefold() for t in texts}) != len(texts):
        raise ValidationError({"choices": _("Jede Antwortmöglichkeit darf nur einmal vorkommen.")})
    return texts


@transaction.atomic
def question_save(
    *,
    survey: Any,
    by: Any,
    text: str,
    kind: str,
    help_text: str = "",
    required: bool = True,
    choices: list[str] | None = None,
    scale_min: int = 1,
    scale_max: int = 5,
    scale_low_label: str = "",
    scale_high_label: str = "",
    question: Any = None,
) -> Any:
    """Add a question to the questionnaire, or change ``question``; ``choices`` are the texts of the
    answer options in their order (single, multiple choice and ranking).

    Before the first answer everything may change. Afterwards only the wording may be corrected
    (question, hint, scale labels, choice texts in place); kind, required, scale range and the number
    of choices stay, and no question is added, so every stored answer keeps meaning what it meant.
    """
    from konzeptk.participation.models import Choice, Question

    _require_survey_editor(by, survey.process)
    if question is not None and question.survey_id != survey.pk:
        raise _denied(_("Diese Frage gehört zu einem anderen Fragebogen."))
    _lock_survey(survey)
    errors: dict[str, list[str]] = {}

    def collect(check: Any) -> Any:
        return _gather(errors, check)

    values = {
        "text": collect(lambda: _clean_text(text, field="text", label=_("Frage"), max_length=QUESTION_MAX)),
        "help_text": collect(
            lambda: _clean_text(
                help_text, field="help_text", label=_("Hinweis"), max_length=QUESTION_MAX, required=False
            )
        ),
        "scale_low_label": collect(
            lambda: _clean_text(
                scale_low_label,
                field="scale_low_label",
                label=_("Bedeutung des kleinsten Werts"),
                max_length=SCALE_LABEL_MAX,
                required=False,
            )
        ),
        "scale_high_label": collect(
            lambda: _clean_text(
                scale_high_label,
                field="scale_high_label",
                label=_("Bedeutung des größten Werts"),
                max_length=SCALE_LABEL_MAX,
                required=False,
            )
        ),
    }
    if kind not in Question.Kind.values:
        errors.setdefault("kind", []).append(_("Bitte wählen Sie eine Art von Frage aus der Liste."))
    texts = collect(lambda: _clean_choices(kind, choices or [])) or []
    low, high = (int(scale_min), int(scale_max)) if kind == Question.Kind.SCALE else (1, 5)
    if kind == Question.Kind.SCALE and not (SCALE_LOWEST <= low < high <= SCALE_HIGHEST):
        errors.setdefault("scale_max", []).append(
            _(
                "Die Skala muss von einem kleineren zu einem größeren Wert zwischen %(low)d und %(high)d reichen."
            )
            % {"low": SCALE_LOWEST, "high": SCALE_HIGHEST}
        )
    locked = survey_is_locked(survey)
    existing = list(question.choices.order_by("order", "pk")) if question is not None else []
    if locked:
        if question is None:
            raise _denied(
                _("Diese Umfrage wurde schon beantwortet. Neue Fragen würden die Ergebnisse verzerren.")
            )
        frozen = _("Nach den ersten Antworten lässt sich das nicht mehr ändern.")
        if kind != question.kind:
            errors.setdefault("kind", []).append(frozen)
        if bool(required) != question.required:
            errors.setdefault("required", []).append(frozen)
        if kind == Question.Kind.SCALE and (low, high) != (question.scale_min, question.scale_max):
            errors.setdefault("scale_max", []).append(frozen)
        old_texts = [c.text for c in existing]
        if texts != old_texts and sorted(t.casefold() for t in texts) == sorted(
            t.casefold() for t in old_texts
        ):
            # the same choices in another order would give stored answers the neighbour's text
            errors.setdefault("choices", []).append(
                _(
                    "Nach den ersten Antworten lässt sich die Reihenfolge der Antwortmöglichkeiten nicht mehr ändern."
                )
            )
        elif question.has_choices and len(texts) != len(existing):
            errors.setdefault("choices", []).append(
                _(
                    "Nach den ersten Antworten lässt sich die Zahl der Antwortmöglichkeiten nicht mehr ändern "
                    "(%(n)d). Sie können nur ihre Texte korrigieren."
                )
                % {"n": len(existing)}
            )
    if errors:
        raise ValidationError(errors)
    if question is None:
        last = survey.questions.order_by("-order").values_list("order", flat=True).first()
        question = Question(survey=survey, order=0 if last is None else last + 1)
    for field, value in values.items():
        setattr(question, field, value)
    question.kind, question.required = kind, bool(required)
    question.scale_min, question.scale_max = low, high
    question.save()
    for index, choice_text in enumerate(texts):
        if index < len(existing):
            choice = existing[index]
            if (choice.text, choice.order) != (choice_text, index):
                choice.text, choice.order = choice_text, index
                choice.save(update_fields=["text", "order"])
        else:
            Choice.objects.create(question=question, text=choice_text, order=index)
    if not locked and len(existing) > len(texts):
        Choice.objects.filter(pk__in=[c.pk for c in existing[len(texts) :]]).delete()
    return question


@transaction.atomic
def question_delete(*, question: Any, by: Any) -> None:
    survey = question.survey
    _require_survey_editor(by, survey.process)
    _lock_survey(survey)
    if survey_is_locked(survey):
        raise _denied(
            _("Diese Umfrage wurde schon beantwortet. Ihre Fragen können nicht mehr gelöscht werden.")
        )
    question.delete()


@transaction.atomic
def question_move(*, question: Any, by: Any, up: bool) -> None:
    """Swap a question with the one before (``up``) or after it. Allowed after answers too: the order
    changes how the questionnaire reads, not what an answer means."""
    survey = question.survey
    _require_survey_editor(by, survey.process)
    _lock_survey(survey)
    questions = list(survey.questions.order_by("order", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions):
        if q.order != position:
            q.order = position
            q.save(update_fields=["order"])
