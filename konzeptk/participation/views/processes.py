"""Pages of processes: the list, one process, following it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konzeptk.accounts.models import User
from konzeptk.core.ratelimits import limit
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.models import Process
from konzeptk.participation.views.common import _process_or_404


def process_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    processes = list(selectors.processes_public())

    def items(status: str) -> list[dict[str, object]]:
        return [{"process": p, "phase": p.active_phase(now)} for p in processes if p.status == status]

    running, archived = items(Process.Status.PUBLISHED), items(Process.Status.ARCHIVED)
    return render(request, "participation/process_list.html", {"running": running, "archived": archived})


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    user = request.user
    now = timezone.now()
    phase = process.active_phase(now)
    is_editor = rules.is_editor(user, process)
    # what the phase types of its phases add (a ballot, questionnaires, a Meinungsbild); the way into
    # a running phase is the main action, "Ideen ansehen" then a secondary one
    links = selectors.phase_links(process, user)
    return render(
        request,
        "participation/process_detail.html",
        {
            "process": process,
            "phase": phase,
            "phases": [
                {"phase": p, "active": p == phase, "past": p.end <= now} for p in process.phases.all()
            ],
            "counts": selectors.idea_counts(process),
            "can_add": rules.may(user, "add_idea", process),
            "add_denial": rules.denial(user, "add_idea", process),
            "is_editor": is_editor,
            "is_moderator": rules.is_moderator(user, process),
            "following": selectors.is_following(user, process=process),
            "districts": list(process.districts.defer("geometry")),
            "phase_links": links,
            "ideas_primary": not any(link.primary for link in links),
            "shows_add_denial": phase is not None and phase.phase_type.opens("crud"),
        },
    )


@require_POST
@limit("follow")
def process_follow(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    if not isinstance(request.user, User):
        messages.error(request, _("Bitte melden Sie sich an, um einem Prozess zu folgen."))
        return redirect(process)
    on = request.POST.get("on") == "1"
    services.follow_set(user=request.user, process=process, on=on)
    messages.success(
        request, _("Sie folgen diesem Prozess.") if on else _("Sie folgen diesem Prozess nicht mehr.")
    )
    return redirect(process)
