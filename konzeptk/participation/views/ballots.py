"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (ballots)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.models import (
    Ballot,
    Idea,
    Vote,
)
from konzeptk.participation.views.common import _process_or_404

# --- ballots ---------------------------------------------------------------------------------


@limit("support")
def ballot(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    the_ballot = selectors.ballot_for(process)
    if the_ballot is None:
        raise Http404(_("Dieser Prozess hat keine Abstimmung."))
    ideas = Idea.objects.visible().filter(process=process).order_by("title", "pk")
    if the_ballot.kind == Ballot.Kind.BUDGET:
        ideas = ideas.filter(cost__isnull=False)
    denial = rules.denial(request.user, "vote", process)
    if denial is None and not the_ballot.phase.is_active():
        denial = _("Diese Abstimmung läuft nicht.")
    errors: list[str] = []
    refused = 0
    user: Any = request.user
    if request.method == "POST" and denial is None:
        try:
            ids = [int(v) for v in request.POST.getlist("ideas")]
            services.ballot_vote_set(ballot=the_ballot, user=user, idea_ids=ids)
        except ValueError:
            errors.append(_("Die Auswahl ist ungültig."))
        except ValidationError as exc:
            errors.extend(exc.messages)
        except DomainError as exc:
            refused = page_error(request, exc)
        else:
            messages.success(
                request,
                _("Ihre Stimmen sind gespeichert. Sie können sie bis zum Ende der Abstimmung ändern."),
            )
            return redirect("participation:ballot", slug=slug)
    mine = (
        set(Vote.objects.filter(ballot=the_ballot, user=user).values_list("idea_id", flat=True))
        if user.is_authenticated
        else set()
    )
    spent = sum(i.cost or 0 for i in ideas if i.pk in mine)
    return render(
        request,
        "participation/ballot.html",
        {
            "process": process,
            "ballot": the_ballot,
            "ideas": ideas,
            "mine": mine,
            "denial": denial,
            "errors": errors,
            "spent": spent,
            "ended": timezone.now() >= the_ballot.phase.end,
        },
        status=refused or (400 if errors else 200),
    )


def ballot_result(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    the_ballot = selectors.ballot_for(process)
    if the_ballot is None:
        raise Http404(_("Dieser Prozess hat keine Abstimmung."))
    ended = timezone.now() >= the_ballot.phase.end
    rows = selectors.ballot_results(the_ballot) if ended else []
    return render(
        request,
        "participation/ballot_result.html",
        {
            "process": process,
            "ballot": the_ballot,
            "ended": ended,
            "rows": rows,
            "height": max(len(rows), 1) * 28,
        },
    )


SURVEY_COOKIE = "konzeptk_umfrage"
SURVEY_COOKIE_SALT = "participation.survey"
SURVEY_COOKIE_AGE = 400 * 24 * 3600
