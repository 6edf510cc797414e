"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (survey_editor)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from konzeptk.core.errors import DomainError, page_error
from konzeptk.participation import services
from konzeptk.participation.views.common import _apply_errors
from konzeptk.participation.views.staff_processes import _editable_process

# --- staff: questionnaires of survey phases ---------------------------------------------------


def _editable_survey(request: HttpRequest, slug: str, pk: int) -> Any:
    from konzeptk.participation.models import Survey

    process = _editable_process(request, slug)
    survey = get_object_or_404(Survey.objects.filter(process=process).select_related("phase"), pk=pk)
    survey.process = process
    return survey


@login_required
def survey_new(request: HttpRequest, slug: str, phase: int) -> HttpResponse:
    """A new questionnaire for a survey phase: title, introduction, who may answer."""
    from konzeptk.participation.forms import SurveySettingsForm

    process = _editable_process(request, slug)
    the_phase = get_object_or_404(process.phases.all(), pk=phase)
    form = SurveySettingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.survey_create(phase=the_phase, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            page_error(request, exc, form=form)
        else:
            messages.success(request, _("Der Fragebogen ist angelegt. Fügen Sie jetzt die Fragen hinzu."))
            return redirect("participation:survey_edit", slug=slug, pk=created.pk)
    return render(
        request,
        "participation/survey_new.html",
        {"process": process, "phase": the_phase, "form": form},
        status=400 if form.errors else 200,
    )


def _question_initial(question: Any) -> dict[str, Any]:
    return {
        "text": question.text,
        "help_text": question.help_text,
        "kind": question.kind,
        "required": question.required,
        "choices": "\n".join(c.text for c in question.choices.all()),
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "scale_low_label": question.scale_low_label,
        "scale_high_label": question.scale_high_label,
    }


@login_required
def survey_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The questionnaire editor: settings, questions with their choices, order; locked to wording
    fixes once the survey has answers (see services.question_save)."""
    from konzeptk.participation.forms import QuestionForm, SurveySettingsForm

    the_survey = _editable_survey(request, slug, pk)
    questions = list(the_survey.questions.prefetch_related("choices"))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    question = None
    if request.POST.get("question"):
        question = next((q for q in questions if str(q.pk) == request.POST["question"]), None)
        if question is None:
            raise Http404(_("Diese Frage gibt es nicht."))
    settings_form = SurveySettingsForm(
        request.POST if action == "settings" else None,
        initial={
            "title": the_survey.title,
            "intro": the_survey.intro,
            "allows_anonymous": the_survey.allows_anonymous,
        },
    )
    new_form = QuestionForm(request.POST if action == "add" else None, prefix="neu")
    bound: dict[int, Any] = {}
    status = 200
    form: Any = None
    try:
        if action == "settings":
            form = settings_form
            if form.is_valid():
                services.survey_update(survey=the_survey, by=request.user, **form.cleaned_data)
                messages.success(request, _("Die Angaben zur Umfrage sind gespeichert."))
                return redirect("participation:survey_edit", slug=slug, pk=pk)
        elif action == "add" or (action == "change" and question is not None):
            form = new_form if action == "add" else QuestionForm(request.POST, prefix=f"q{question.pk}")  # type: ignore[union-attr]
            if question is not None:
                bound[question.pk] = form
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
            return redirect("participation:survey_edit", slug=slug, pk=pk)
        elif action == "delete_survey":
            services.survey_delete(survey=the_survey, by=request.user)
            messages.success(request, _("Der Fragebogen ist gelöscht."))
            return redirect("participation:process_phases", slug=slug)
        elif request.method == "POST":
            messages.error(request, _("Diese Aktion gibt es nicht."))
            status = 400
    except ValidationError as exc:
        _apply_errors(form, exc)
    except DomainError as exc:
        status = page_error(request, exc)
    if form is not None and form.errors:
        status = 400
    responses = the_survey.responses.count()
    items = [
        {
            "question": q,
            "form": bound.get(q.pk) or QuestionForm(prefix=f"q{q.pk}", initial=_question_initial(q)),
            "choices": list(q.choices.all()) if q.has_choices else [],
            "first": index == 0,
            "last": index == len(questions) - 1,
        }
        for index, q in enumerate(questions)
    ]
    return render(
        request,
        "participation/survey_edit.html",
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
