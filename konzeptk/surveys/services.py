"""Writes of the surveys app: typed, keyword-only, each in one transaction.

Answering a questionnaire (``survey_answer``) and the questionnaire editor (``survey_create``,
``survey_update``, ``survey_delete``, ``question_save``, ``question_delete``, ``question_move``).
Once a questionnaire has been filled in, only its wording may be corrected, so that every stored
answer keeps meaning what it meant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from konzeptk.core.content import OTHER_LANGUAGES, content_assign, content_fields, german
from konzeptk.core.errors import DomainError
from konzeptk.participation.models import TEXT_MAX, TITLE_MAX, Phase, Process
from konzeptk.participation.rules import is_editor
from konzeptk.participation.services.common import _clean_text
from konzeptk.surveys.models import Answer, Choice, Question, Response, Survey
from konzeptk.surveys.rules import Person, account_id, survey_denial

#: one answer as the form gives it: a choice id (single) or a scale value, choice ids (multiple; a
#: ranking in ranked order), or a text
AnswerValue = int | str | Sequence[int]

#: longest free-text answer
SURVEY_TEXT_MAX = 5_000
#: a scale runs between these values (answers are stored as small positive integers)
SCALE_LOWEST, SCALE_HIGHEST = 0, 10
CHOICES_MAX = 30
RANKING_CHOICES_MAX = 10
QUESTION_MAX, CHOICE_MAX, SCALE_LABEL_MAX = 500, 200, 80

T = TypeVar("T")


def _denied(message: str, code: str = "denied") -> DomainError:
    """The person may not do this now; ``message`` says why in their language (403; 409 for ``already_*``)."""
    return DomainError(code, message, 409 if code.startswith("already_") else 403)


def _answer_rows(question: Question, value: AnswerValue) -> list[Answer] | None:
    """The answer rows for ``value``, or None when it is not a valid answer to ``question``."""
    choice_ids = {c.pk for c in question.choices.all()}
    kind = question.kind
    if kind == Question.Kind.SINGLE and isinstance(value, int) and value in choice_ids:
        return [Answer(question=question, choice_id=value)]
    if kind == Question.Kind.SCALE and isinstance(value, int) and value in question.scale_values:
        return [Answer(question=question, value=value)]
    if kind == Question.Kind.TEXT:
        if isinstance(value, str) and len(value) <= SURVEY_TEXT_MAX:
            return [Answer(question=question, text=value)]
        return None
    if isinstance(value, (int, str)):
        return None
    picked = list(value)
    if kind == Question.Kind.MULTIPLE and set(picked) <= choice_ids:
        return [Answer(question=question, choice_id=c) for c in sorted(set(picked))]
    if kind == Question.Kind.RANKING and sorted(picked) == sorted(choice_ids):
        return [Answer(question=question, choice_id=c, value=rank) for rank, c in enumerate(picked, start=1)]
    return None


def survey_answer(
    *,
    survey: Survey,
    user: Person,
    browser_token: str,
    answers: Mapping[int, AnswerValue | None],
    is_demo: bool = False,
) -> Response:
    """Save one filled-in questionnaire, or nothing.

    ``answers`` maps question id to: choice id (single), list of choice ids (multiple), a value of the scale (scale),
    text (free text), choice ids in ranked order (ranking); missing or empty = not answered.
    Signed-in people answer once per account, people without an account once per browser.
    """
    denial = survey_denial(user, survey)
    if denial:
        raise _denied(denial)
    account = account_id(user)
    if account is None and not browser_token:
        raise _denied(_("Ohne Cookie kann Ihr Browser nur einmal antworten; bitte erlauben Sie Cookies."))
    already = Response.objects.filter(survey=survey)
    if account is not None:
        already = already.filter(user_id=account)
    else:
        already = already.filter(browser_token=browser_token)
    if already.exists():
        raise _denied(_("Sie haben diese Umfrage bereits beantwortet."), code="already_answered")
    rows: list[Answer] = []
    errors: dict[str, list[str]] = {}
    for question in survey.questions.prefetch_related("choices"):
        value = answers.get(question.pk)
        if value is None or (not isinstance(value, int) and len(value) == 0):
            if question.required:
                errors.setdefault(f"q{question.pk}", []).append(_("Bitte beantworten Sie diese Frage."))
            continue
        given = _answer_rows(question, value)
        if given is None:
            errors.setdefault(f"q{question.pk}", []).append(_("Diese Antwort ist ungültig."))
        else:
            rows.extend(given)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                user_id=account,
                browser_token="" if account is not None else browser_token,
                is_demo=is_demo,
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise _denied(_("Sie haben diese Umfrage bereits beantwortet."), code="already_answered") from exc
    return response


# --- the questionnaire editor ----------------------------------------------------------------


def survey_is_locked(survey: Survey) -> bool:
    """Once a questionnaire has been filled in, its questions and choices keep their meaning."""
    return Response.objects.filter(survey=survey).exists()


def _require_survey_editor(by: Person, process: Process) -> None:
    if not is_editor(by, process):
        raise _denied(_("Nur die veranstaltende Organisation kann die Fragebögen dieses Prozesses ändern."))


def _gather(errors: dict[str, list[str]], check: Callable[[], T]) -> T | None:
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
    return {key: value or "" for key, value in values.items()}


@transaction.atomic
def survey_create(
    *,
    phase: Phase,
    by: Person,
    title: str,
    intro: str = "",
    allows_anonymous: bool = False,
    is_demo: bool = False,
    translations: Mapping[str, str] | None = None,
) -> Survey:
    """A questionnaire for a phase that opens surveys (the questions are added in the editor)."""
    _require_survey_editor(by, phase.process)
    if not phase.phase_type.has_feature("answer", Survey):
        raise _denied(_("Fragebögen gehören zu einer Phase der Art „Umfrage“."))
    return Survey.objects.create(
        process=phase.process,
        phase=phase,
        allows_anonymous=bool(allows_anonymous),
        is_demo=is_demo,
        # the German original and the translations staff entered (docs/content-languages.md)
        **content_fields(german=_survey_texts(title, intro), translations=translations),
    )


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    by: Person,
    title: str,
    intro: str = "",
    allows_anonymous: bool = False,
    translations: Mapping[str, str] | None = None,
) -> Survey:
    """Title, introduction and whether people without an account may answer (always allowed: it
    changes who may answer from now on, not what earlier answers mean)."""
    _require_survey_editor(by, survey.process)
    content_assign(survey, german=_survey_texts(title, intro), translations=translations)
    survey.allows_anonymous = bool(allows_anonymous)
    survey.save()
    return survey


@transaction.atomic
def survey_delete(*, survey: Survey, by: Person) -> None:
    _require_survey_editor(by, survey.process)
    if survey_is_locked(survey):
        raise _denied(_("Diese Umfrage wurde schon beantwortet. Sie kann nicht mehr gelöscht werden."))
    survey.delete()


def _lock_survey(survey: Survey) -> None:
    """Serialise edits of one questionnaire with each other (PostgreSQL row lock)."""
    list(Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk", flat=True))


def _clean_choices(kind: str, lines: Sequence[str]) -> list[str]:
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


def _frozen_errors(
    question: Question,
    *,
    kind: str,
    required: bool,
    scale: tuple[int, int],
    texts: list[str],
    existing: list[Choice],
) -> dict[str, list[str]]:
    """What an answered questionnaire's question may no longer change (only the wording may)."""
    errors: dict[str, list[str]] = {}
    frozen = _("Nach den ersten Antworten lässt sich das nicht mehr ändern.")
    if kind != question.kind:
        errors.setdefault("kind", []).append(frozen)
    if required != question.required:
        errors.setdefault("required", []).append(frozen)
    if kind == Question.Kind.SCALE and scale != (question.scale_min, question.scale_max):
        errors.setdefault("scale_max", []).append(frozen)
    old_texts = [german(c, "text") for c in existing]  # the German original
    if texts != old_texts and sorted(t.casefold() for t in texts) == sorted(t.casefold() for t in old_texts):
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
    return errors


@transaction.atomic
def question_save(
    *,
    survey: Survey,
    by: Person,
    text: str,
    kind: str,
    help_text: str = "",
    required: bool = True,
    choices: Sequence[str] | None = None,
    scale_min: int = 1,
    scale_max: int = 5,
    scale_low_label: str = "",
    scale_high_label: str = "",
    question: Question | None = None,
    translations: Mapping[str, str] | None = None,
) -> Question:
    """Add a question to the questionnaire, or change ``question``; ``choices`` are the texts of the
    answer options in their order (single, multiple choice and ranking).

    Before the first answer everything may change. Afterwards only the wording may be corrected
    (question, hint, scale labels, choice texts in place); kind, required, scale range and the number
    of choices stay, and no question is added, so every stored answer keeps meaning what it meant.

    ``translations`` holds the other languages (``text_en``, …); ``choices_en`` … are the choice
    texts of that language, one per line in the order of the German ones (a missing line: German).
    """
    _require_survey_editor(by, survey.process)
    if question is not None and question.survey_id != survey.pk:
        raise _denied(_("Diese Frage gehört zu einem anderen Fragebogen."))
    _lock_survey(survey)
    errors: dict[str, list[str]] = {}

    def cleaned(value: str, field: str, label: str, max_length: int, required: bool = False) -> str:
        checked = _gather(
            errors,
            lambda: _clean_text(value, field=field, label=label, max_length=max_length, required=required),
        )
        return checked or ""

    values = {
        "text": cleaned(text, "text", _("Frage"), QUESTION_MAX, required=True),
        "help_text": cleaned(help_text, "help_text", _("Hinweis"), QUESTION_MAX),
        "scale_low_label": cleaned(
            scale_low_label, "scale_low_label", _("Bedeutung des kleinsten Werts"), SCALE_LABEL_MAX
        ),
        "scale_high_label": cleaned(
            scale_high_label, "scale_high_label", _("Bedeutung des größten Werts"), SCALE_LABEL_MAX
        ),
    }
    if kind not in Question.Kind.values:
        errors.setdefault("kind", []).append(_("Bitte wählen Sie eine Art von Frage aus der Liste."))
    texts = _gather(errors, lambda: _clean_choices(kind, choices or [])) or []
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
        frozen = _frozen_errors(
            question, kind=kind, required=bool(required), scale=(low, high), texts=texts, existing=existing
        )
        for key, messages in frozen.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if question is None:
        last = survey.questions.order_by("-order").values_list("order", flat=True).first()
        question = Question(survey=survey, order=0 if last is None else last + 1)
    own = {k: v for k, v in (translations or {}).items() if not k.startswith("choices_")}
    content_assign(question, german=values, translations=own if translations is not None else None)
    question.kind, question.required = kind, bool(required)
    question.scale_min, question.scale_max = low, high
    question.save()
    for index, choice_text in enumerate(texts):
        if index < len(existing):
            choice = existing[index]
            if (german(choice, "text"), choice.order) != (choice_text, index) or translations is not None:
                choice.order = index
                content_assign(
                    choice, german={"text": choice_text}, translations=_choice_texts(translations, index)
                )
                choice.save()
        else:
            Choice.objects.create(
                question=question,
                order=index,
                **content_fields(
                    german={"text": choice_text}, translations=_choice_texts(translations, index)
                ),
            )
    if not locked and len(existing) > len(texts):
        Choice.objects.filter(pk__in=[c.pk for c in existing[len(texts) :]]).delete()
    return question


def _choice_texts(translations: Mapping[str, str] | None, index: int) -> dict[str, str] | None:
    """The translations of the choice at ``index`` from the per-language lines (``choices_en``)."""
    if translations is None:
        return None
    texts = {}
    for code in OTHER_LANGUAGES:
        lines = [line.strip() for line in (translations.get(f"choices_{code}") or "").splitlines()]
        texts[f"text_{code}"] = lines[index][:CHOICE_MAX] if index < len(lines) else ""
    return texts


@transaction.atomic
def question_delete(*, question: Question, by: Person) -> None:
    survey = question.survey
    _require_survey_editor(by, survey.process)
    _lock_survey(survey)
    if survey_is_locked(survey):
        raise _denied(
            _("Diese Umfrage wurde schon beantwortet. Ihre Fragen können nicht mehr gelöscht werden.")
        )
    question.delete()


@transaction.atomic
def question_move(*, question: Question, by: Person, up: bool) -> None:
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
