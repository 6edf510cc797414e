"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (processes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konzeptk.participation import rules, selectors, services
from konzeptk.participation.models import (
    Follow,
    Idea,
    Process,
)
from konzeptk.participation.views.common import _process_or_404

# --- processes -------------------------------------------------------------------------------


def process_list(request: HttpRequest) -> HttpResponse:
    processes = list(selectors.processes_public())
    now = timezone.now()
    items: list[dict[str, Any]] = [{"process": p, "phase": p.active_phase(now)} for p in processes]
    running = [i for i in items if i["process"].status == Process.Status.PUBLISHED]
    archived = [i for i in items if i["process"].status == Process.Status.ARCHIVED]
    return render(request, "participation/process_list.html", {"running": running, "archived": archived})


def process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    now = timezone.now()
    phase = process.active_phase(now)
    phases = [{"phase": p, "active": p == phase, "past": p.end <= now} for p in process.phases.all()]
    counts = (
        Idea.objects.visible()
        .filter(process=process)
        .aggregate(ideas=Count("id"), offline=Count("id", filter=~Q(channel="online")))
    )
    following = (
        request.user.is_authenticated and Follow.objects.filter(user=request.user, process=process).exists()
    )
    return render(
        request,
        "participation/process_detail.html",
        {
            "process": process,
            "phase": phase,
            "phases": phases,
            "counts": counts,
            "can_add": rules.may(request.user, "add_idea", process),
            "add_denial": rules.denial(request.user, "add_idea", process),
            "is_editor": rules.is_editor(request.user, process),
            "is_moderator": rules.is_moderator(request.user, process),
            "following": following,
            "districts": list(process.districts.defer("geometry")),
            "ballot": selectors.ballot_for(process),
            # a questionnaire without questions is shown to its organisers only
            "surveys": [
                s
                for s in process.surveys.annotate(n_questions=Count("questions"))
                if s.n_questions or rules.is_editor(request.user, process)
            ],
        },
    )


@require_POST
def process_follow(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    if not request.user.is_authenticated:
        messages.error(request, _("Bitte melden Sie sich an, um einem Prozess zu folgen."))
        return redirect(process)
    on = request.POST.get("on") == "1"
    services.follow_set(user=request.user, process=process, on=on)
    messages.success(
        request, _("Sie folgen diesem Prozess.") if on else _("Sie folgen diesem Prozess nicht mehr.")
    )
    return redirect(process)
