"""The jurors' pages: their calls, the applications of a call, scoring and declaring a conflict."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.interimuse import selectors, services
from konzeptk.interimuse.forms import ConflictForm, ScoreForm
from konzeptk.interimuse.models import Call

PAGE_SIZE = 20


def _jury_call(request: HttpRequest, slug: str) -> tuple[User, Call]:
    user = cast(User, request.user)
    the_call = selectors.call_by_slug(slug)
    if the_call is None:
        raise Http404(_("Diesen Aufruf gibt es nicht."))
    if not user.has_perm("interimuse.score", the_call):
        raise PermissionDenied(_("Sie gehören nicht zur Jury dieses Aufrufs."))
    return user, the_call


@login_required
@require_GET
def jury_index(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    page = Paginator(selectors.juror_calls(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interimuse/jury_index.html", {"page": page})


@login_required
@require_GET
def jury_call(request: HttpRequest, slug: str) -> HttpResponse:
    user, the_call = _jury_call(request, slug)
    juror = selectors.juror_of(the_call, user)
    assert juror is not None
    page = Paginator(selectors.call_applications(the_call, include_withdrawn=False), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    state = selectors.jury_state(juror, [a.pk for a in page.object_list])
    n_criteria = len(selectors.call_criteria(the_call))
    rows = [
        {
            "application": a,
            "conflict": a.pk in state.conflicts,
            "scored": len(state.points.get(a.pk, {})) == n_criteria and n_criteria > 0,
        }
        for a in page.object_list
    ]
    return render(request, "interimuse/jury_call.html", {"call": the_call, "page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def jury_application(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Score one application against the published criteria, or declare a conflict of interest."""
    user, the_call = _jury_call(request, slug)
    application = selectors.application_by_pk(pk)
    if application is None or application.call_id != the_call.pk:
        raise Http404(_("Diese Bewerbung gibt es nicht."))
    juror = selectors.juror_of(the_call, user)
    assert juror is not None
    criteria = selectors.call_criteria(the_call)
    state = selectors.jury_state(juror, [application.pk])
    mine = state.points.get(application.pk, {})
    score_form = ScoreForm(criteria=criteria, initial={f"c{cid}": p for cid, p in mine.items()})
    conflict_form = ConflictForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "conflict":
                conflict_form = ConflictForm(request.POST)
                if not conflict_form.is_valid():
                    status = 400
                else:
                    services.conflict_declare(
                        application=application, user=user, reason=conflict_form.cleaned_data["reason"]
                    )
                    messages.success(
                        request, _("Ihre Befangenheit ist festgehalten. Sie bewerten diese Bewerbung nicht.")
                    )
                    return redirect("interimuse:jury_call", slug=slug)
            elif action == "score":
                score_form = ScoreForm(request.POST, criteria=criteria)
                if not score_form.is_valid():
                    status = 400
                else:
                    services.scores_set(
                        application=application,
                        user=user,
                        points=score_form.points(),
                        comment=score_form.cleaned_data["comment"],
                    )
                    messages.success(request, _("Ihre Bewertung ist gespeichert."))
                    return redirect("interimuse:jury_call", slug=slug)
            else:
                status = 400
                messages.error(request, _("Unbekannte Aktion."))
        except DomainError as exc:
            status = page_error(request, exc, form=score_form if action == "score" else conflict_form)
    return render(
        request,
        "interimuse/jury_application.html",
        {
            "call": the_call,
            "application": application,
            "criteria": criteria,
            "score_form": score_form,
            "conflict_form": conflict_form,
            "conflict": application.pk in state.conflicts,
            "scoring_open": the_call.status == Call.Status.JURY,
        },
        status=status,
    )
