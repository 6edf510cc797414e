"""Pages of the ballots app. Thin: parse the request, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.ballots import selectors, services
from konzeptk.ballots.models import Ballot
from konzeptk.core import charts
from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.numbers import money, number
from konzeptk.core.ratelimits import limit
from konzeptk.participation import rules
from konzeptk.participation.models import Process
from konzeptk.participation.views.common import _process_or_404


def _ballot_or_404(request: HttpRequest, slug: str) -> tuple[Process, Ballot]:
    process = _process_or_404(request, slug)
    ballot = selectors.ballot_for(process)
    if ballot is None:
        raise Http404(_("Dieser Prozess hat keine Abstimmung."))
    return process, ballot


@limit("support")
def ballot(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose ideas (or spend the budget); changeable while the ballot phase runs."""
    process, the_ballot = _ballot_or_404(request, slug)
    voter = request.user if isinstance(request.user, User) else None
    denial = rules.denial(request.user, "vote", process)
    if denial is None and not the_ballot.phase.is_active():
        denial = _("Diese Abstimmung läuft nicht.")
    errors: list[str] = []
    refused = 0
    checking = request.method == "POST" and request.POST.get("action") == "check"
    chosen: set[int] | None = None
    if checking:
        # "Summe prüfen" (without JavaScript): the same form again with the total, nothing saved
        chosen = {int(v) for v in request.POST.getlist("ideas") if v.isdigit()}
    elif request.method == "POST" and denial is None and voter is not None:
        try:
            ids = [int(v) for v in request.POST.getlist("ideas")]
            services.ballot_vote_set(ballot=the_ballot, user=voter, idea_ids=ids)
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
            return redirect("ballots:ballot", slug=slug)
    ideas = list(selectors.ballot_ideas(the_ballot))
    mine = selectors.votes_of(the_ballot, voter)
    if chosen is None and request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("ideas") if v.isdigit()}  # refused: keep the choice
    selected = mine if chosen is None else chosen & {i.pk for i in ideas}
    spent = sum(i.cost or 0 for i in ideas if i.pk in selected)
    budget = the_ballot.budget or 0
    # the figures of the running total, marked for ballot.js, which keeps them current while people tick
    total = {
        "spent": format_html("<strong data-kk-spent>{}</strong>", money(spent)),
        "budget": format_html("<strong>{}</strong>", money(budget)),
        "remaining": format_html("<strong data-kk-remaining>{}</strong>", money(budget - spent)),
        "count": format_html("<strong data-kk-count>{}</strong>", number(len(selected))),
        "votes": format_html("<strong>{}</strong>", number(the_ballot.votes_per_person)),
    }
    return render(
        request,
        "ballots/ballot.html",
        {
            "process": process,
            "ballot": the_ballot,
            "ideas": ideas,
            "mine": mine,
            "selected": selected,
            "checked": checking,
            "denial": denial,
            "errors": errors,
            "total": total,
            "over": the_ballot.is_budget and spent > budget,
            "too_many": not the_ballot.is_budget and len(selected) > the_ballot.votes_per_person,
            "ended": timezone.now() >= the_ballot.phase.end,
        },
        status=refused or (400 if errors else 200),
    )


def ballot_result(request: HttpRequest, slug: str) -> HttpResponse:
    """The result, published once the ballot phase has ended."""
    process, the_ballot = _ballot_or_404(request, slug)
    ended = timezone.now() >= the_ballot.phase.end
    rows = selectors.ballot_results(the_ballot) if ended else []
    return render(
        request,
        "ballots/ballot_result.html",
        {
            "process": process,
            "ballot": the_ballot,
            "ended": ended,
            "rows": rows,
            "bars": charts.bars([(row.idea.title, row.votes, number(row.votes)) for row in rows]),
        },
    )
