"""Pages of the surveys app: answer a questionnaire, its results, the CSV export, and the
questionnaire editor of the organisers. Thin: parse the request, call one service or selector, render."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from konzeptk.core.content import content_translations, german
from konzeptk.core.csv import csv_response
from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.participation.models import Phase, Process
from konzeptk.participation.rules import is_editor
from konzeptk.surveys import rules, selectors, services
from konzeptk.surveys.forms import QuestionForm, SurveyForm, SurveySettingsForm
from konzeptk.surveys.models import Question, Survey

#: the browser's answer token; name and salt as before the move, so browsers that answered stay known
SURVEY_COOKIE = "konzeptk_umfrage"
SURVEY_COOKIE_SALT = "participation.survey"
SURVEY_COOKIE_AGE = 400 * 24 * 3600


def _apply_errors(form: Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)


def _process(request: HttpRequest, slug: str, *, editing: bool = False) -> Process:
    """The process of the page: public ones for everybody, drafts for their organisers; the editor
    pages for the organisers only."""
    process = selectors.process_of(slug)
    if process is None:
        raise Http404(_("Diesen Beteiligungsprozess gibt es nicht."))
    if editing and not is_editor(request.user, process):
        raise PermissionDenied(_("Nur die veranstaltende Organisation kann diesen Prozess ändern."))
    if not (process.is_public or is_editor(request.user, process)):
        raise Http404(_("Diesen Beteiligungsprozess gibt es nicht."))
    return process


def _survey(request: HttpRequest, slug: str, pk: int, *, editing: bool = False) -> Survey:
    survey = selectors.survey_of(_process(request, slug, editing=editing), pk)
    if survey is None:
        raise Http404(_("Diese Umfrage gibt es nicht."))
    return survey


@limit("survey_answer")
def survey(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    the_survey = _survey(request, slug, pk)
    user = request.user
    token = request.get_signed_cookie(SURVEY_COOKIE, default="", salt=SURVEY_COOKIE_SALT) or ""
    new_token = ""
    if not user.is_authenticated and the_survey.allows_anonymous and not token:
        new_token = secrets.token_urlsafe(24)
    denial = rules.survey_denial(user, the_survey)
    answered = selectors.has_answered(the_survey, user, token)
    form = SurveyForm(request.POST if request.method == "POST" else None, survey=the_survey)
    status = 200
    if request.method == "POST":
        if answered:
            status = 409
        elif denial:
            status = 403
        elif not user.is_authenticated and not token:
            messages.error(
                request,
                _(
                    "Ihr Browser hat kein Umfrage-Cookie geschickt. Bitte erlauben Sie Cookies für diese "
                    "Seite und senden Sie den Fragebogen noch einmal ab."
                ),
            )
            status = 400
        elif form.is_valid():
            try:
                services.survey_answer(
                    survey=the_survey, user=user, browser_token=token, answers=form.cleaned_data["answers"]
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
                status = 400
            except DomainError as exc:
                answered = exc.code == "already_answered"
                status = page_error(request, exc, form=None if answered else form)
            else:
                messages.success(request, _("Vielen Dank! Ihre Antworten sind gespeichert."))
                return redirect("surveys:survey_results", slug=slug, pk=pk)
        else:
            status = 400
    response = render(
        request,
        "surveys/survey.html",
        {
            "process": the_survey.process,
            "survey": the_survey,
            "form": form,
            "denial": denial,
            "answered": answered,
            "may_export": rules.may_export_survey(user, the_survey),
        },
        status=status,
    )
    if new_token:
        response.set_signed_cookie(
            SURVEY_COOKIE,
            new_token,
            salt=SURVEY_COOKIE_SALT,
            max_age=SURVEY_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def survey_results(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    the_survey = _survey(request, slug, pk)
    return render(
        request,
        "surveys/survey_results.html",
        {
            "process": the_survey.process,
            "survey": the_survey,
            "results": selectors.survey_results(the_survey),
            "may_export": rules.may_export_survey(request.user, the_survey),
        },
    )


def survey_export(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    the_survey = _survey(request, slug, pk)
    if not rules.may_export_survey(request.user, the_survey):
        raise PermissionDenied(
            _("Nur die Organisator:innen dieser Umfrage können die Antworten exportieren.")
        )
    header, rows = selectors.survey_export_rows(the_survey)
    return csv_response(filename=f"umfrage-{the_survey.pk}.csv", header=header, rows=rows)


# --- staff: questionnaires of survey phases ---------------------------------------------------


@login_required
def survey_new(request: HttpRequest, slug: str, phase: int) -> HttpResponse:
    """A new questionnaire for a survey phase: title, introduction, who may answer."""
    process = _process(request, slug, editing=True)
    the_phase: Phase | None = next((p for p in process.phases.all() if p.pk == phase), None)
    if the_phase is None:
        raise Http404(_("Diese Phase gibt es nicht."))
    form = SurveySettingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.survey_create(phase=the_phase, by=request.user, **_settings_values(form))
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            page_error(request, exc, form=form)
        else:
            messages.success(request, _("Der Fragebogen ist angelegt. Fügen Sie jetzt die Fragen hinzu."))
            return redirect("surveys:survey_edit", slug=slug, pk=created.pk)
    return render(
        request,
        "surveys/survey_new.html",
        {"process": process, "phase": the_phase, "form": form},
        status=400 if form.errors else 200,
    )


def _settings_values(form: SurveySettingsForm) -> dict[str, Any]:
    """The German settings and, under ``translations``, the other languages for the service."""
    keys = set(form.translations())
    values = {k: v for k, v in form.cleaned_data.items() if k not in keys}
    return {**values, "translations": form.translations()}


def _edit_action(
    request: HttpRequest,
    the_survey: Survey,
    action: str,
    question: Question | None,
    form: Form | None,
) -> HttpResponse | None:
    """Carry out one action of the editor; a redirect when it is done, None to show the page again."""
    if action == "settings" and isinstance(form, SurveySettingsForm):
        if form.is_valid():
            services.survey_update(survey=the_survey, by=request.user, **_settings_values(form))
            messages.success(request, _("Die Angaben zur Umfrage sind gespeichert."))
            return redirect("surveys:survey_edit", slug=the_survey.process.slug, pk=the_survey.pk)
    elif action in ("add", "change") and isinstance(form, QuestionForm):
        if form.is_valid():
            services.question_save(survey=the_survey, by=request.user, question=question, **form.values())
            messages.success(request, _("Die Frage ist gespeichert."))
            return redirect(f"{request.path}#frage-{question.pk if question else 'neu'}")
    elif action in ("up", "down") and question is not None:
        services.question_move(question=question, by=request.user, up=action == "up")
        return redirect(f"{request.path}#frage-{question.pk}")
    elif action == "delete" and question is not None:
        services.question_delete(question=question, by=request.user)
        messages.success(request, _("Die Frage ist gelöscht."))
        return redirect("surveys:survey_edit", slug=the_survey.process.slug, pk=the_survey.pk)
    elif action == "delete_survey":
        services.survey_delete(survey=the_survey, by=request.user)
        messages.success(request, _("Der Fragebogen ist gelöscht."))
        return redirect("participation:process_phases", slug=the_survey.process.slug)
    return None


@login_required
def survey_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The questionnaire editor: settings, questions with their choices, order; locked to wording
    fixes once the survey has answers (see services.question_save)."""
    the_survey = _survey(request, slug, pk, editing=True)
    questions = selectors.questions_of(the_survey)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    question = None
    if request.POST.get("question"):
        question = next((q for q in questions if str(q.pk) == request.POST["question"]), None)
        if question is None:
            raise Http404(_("Diese Frage gibt es nicht."))
    settings_form = SurveySettingsForm(
        request.POST if action == "settings" else None,
        initial={
            "title": german(the_survey, "title"),
            "intro": german(the_survey, "intro"),
            **content_translations(the_survey, SurveySettingsForm.translated_fields),
            "allows_anonymous": the_survey.allows_anonymous,
        },
    )
    new_form = QuestionForm(request.POST if action == "add" else None, prefix="neu")
    bound: dict[int, QuestionForm] = {}
    form: Form | None = None
    if action == "settings":
        form = settings_form
    elif action == "add":
        form = new_form
    elif action == "change" and question is not None:
        form = bound[question.pk] = QuestionForm(request.POST, prefix=f"q{question.pk}")
    status = 200
    if request.method == "POST" and form is None and action not in ("up", "down", "delete", "delete_survey"):
        messages.error(request, _("Diese Aktion gibt es nicht."))
        status = 400
    elif request.method == "POST":
        try:
            done = _edit_action(request, the_survey, action, question, form)
        except ValidationError as exc:
            if form is not None:
                _apply_errors(form, exc)
        except DomainError as exc:
            status = page_error(request, exc)
        else:
            if done is not None:
                return done
            if form is None:
                messages.error(request, _("Diese Aktion gibt es nicht."))
                status = 400
    if form is not None and form.errors:
        status = 400
    responses = selectors.response_count(the_survey)
    items = [
        {
            "question": q,
            "form": bound.get(q.pk) or QuestionForm(prefix=f"q{q.pk}", initial=QuestionForm.initial_of(q)),
            "choices": list(q.choices.all()) if q.has_choices else [],
            "first": index == 0,
            "last": index == len(questions) - 1,
        }
        for index, q in enumerate(questions)
    ]
    return render(
        request,
        "surveys/survey_edit.html",
        {
            "process": the_survey.process,
            "survey": the_survey,
            "settings_form": settings_form,
            "new_form": new_form,
            "items": items,
            "locked": responses > 0,
            "responses": responses,
        },
        status=status,
    )
