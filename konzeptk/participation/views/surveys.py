"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (surveys)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.views.ballots import SURVEY_COOKIE, SURVEY_COOKIE_AGE, SURVEY_COOKIE_SALT
from konzeptk.participation.views.common import _apply_errors, _process_or_404


def _survey_or_404(request: HttpRequest, slug: str, pk: int) -> Any:
    from konzeptk.participation.models import Survey

    process = _process_or_404(request, slug)
    survey = get_object_or_404(Survey.objects.filter(process=process).select_related("phase"), pk=pk)
    survey.process = process
    return survey


@limit("survey_answer")
def survey(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    import secrets

    from konzeptk.participation.forms import SurveyForm
    from konzeptk.participation.models import Response

    the_survey = _survey_or_404(request, slug, pk)
    user: Any = request.user
    token = request.get_signed_cookie(SURVEY_COOKIE, default="", salt=SURVEY_COOKIE_SALT) or ""
    new_token = ""
    if not user.is_authenticated and the_survey.allows_anonymous and not token:
        new_token = secrets.token_urlsafe(24)
    denial = rules.survey_denial(user, the_survey)
    mine = Response.objects.filter(survey=the_survey)
    if user.is_authenticated:
        answered = mine.filter(user=user).exists()
    else:
        answered = bool(token) and mine.filter(browser_token=token).exists()
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
                return redirect("participation:survey_results", slug=slug, pk=pk)
        else:
            status = 400
    response = render(
        request,
        "participation/survey.html",
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
    the_survey = _survey_or_404(request, slug, pk)
    return render(
        request,
        "participation/survey_results.html",
        {
            "process": the_survey.process,
            "survey": the_survey,
            "results": selectors.survey_results(the_survey),
            "may_export": rules.may_export_survey(request.user, the_survey),
        },
    )


def survey_export(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    from konzeptk.core.csv import csv_response

    the_survey = _survey_or_404(request, slug, pk)
    if not rules.may_export_survey(request.user, the_survey):
        raise PermissionDenied(
            _("Nur die Organisator:innen dieser Umfrage können die Antworten exportieren.")
        )
    header, rows = selectors.survey_export_rows(the_survey)
    return csv_response(filename=f"umfrage-{the_survey.pk}.csv", header=header, rows=rows, delimiter=";")
