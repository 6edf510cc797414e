"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (moderation)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konzeptk.core.errors import DomainError, page_error
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.forms import (
    AnswerForm,
    OfflineForm,
    ReasonForm,
)
from konzeptk.participation.models import (
    Comment,
    Idea,
    Report,
)
from konzeptk.participation.views.common import _apply_errors, _back, _process_or_404

# --- staff: answers, offline contributions, moderation ----------------------------------------


@require_POST
@login_required
def idea_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = get_object_or_404(Idea, pk=pk, process=process)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(idea)
    try:
        services.idea_answer(idea=idea, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(
            request, _("Die Antwort ist veröffentlicht; wer der Idee folgt, wird benachrichtigt.")
        )
    return redirect(idea)


@login_required
def offline_create(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    if not rules.is_editor(request.user, process):
        raise PermissionDenied(
            _("Nur Mitarbeiter:innen der veranstaltenden Organisation können Beiträge erfassen.")
        )
    form = OfflineForm(request.POST or None, districts=selectors.current_districts())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = services.offline_contribution_create(
                process=process,
                entered_by=request.user,
                channel=data["channel"],
                title=data["title"],
                text=data["text"],
                channel_date=data.get("channel_date"),
                channel_place=data.get("channel_place", ""),
                topic=data.get("topic") or "",
                district=data.get("district"),
                address=data.get("address", ""),
                contributor_profile={"age_band": data.get("age_band", "")},
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Der Beitrag ist erfasst."))
            return redirect(idea)
    return render(
        request,
        "participation/offline_form.html",
        {"process": process, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def moderation_queue(request: HttpRequest, slug: str) -> HttpResponse:
    from konzeptk.participation.models import Block, ModerationAction

    process = _process_or_404(request, slug)
    if not rules.is_moderator(request.user, process):
        raise PermissionDenied(_("Nur Moderator:innen der veranstaltenden Organisation sehen die Meldungen."))
    reports = (
        Report.objects.filter(resolved_at=None)
        .filter(Q(idea__process=process) | Q(comment__idea__process=process))
        .select_related("idea__author", "comment__author", "comment__idea", "reporter")
        .defer("idea__text", "comment__idea__text")
        .order_by("created_at", "pk")
    )
    hidden_ideas = Idea.objects.filter(process=process, is_hidden=True).only(
        "id", "title", "hidden_reason", "process_id"
    )
    hidden_comments = Comment.objects.filter(idea__process=process, is_hidden=True).only(
        "id", "text", "hidden_reason", "idea_id"
    )
    blocks = Block.objects.filter(organisation_id=process.organiser_id).select_related("user")
    log = ModerationAction.objects.filter(organisation_id=process.organiser_id).select_related(
        "moderator", "affected_user"
    )
    return render(
        request,
        "participation/moderation.html",
        {
            "process": process,
            "reports": selectors.page_of(reports, request.GET.get("meldungen"), size=25),
            "hidden_ideas": selectors.page_of(
                hidden_ideas.order_by("-pk"), request.GET.get("ideen"), size=25
            ),
            "hidden_comments": selectors.page_of(
                hidden_comments.order_by("-pk"), request.GET.get("kommentare"), size=25
            ),
            "blocks": selectors.page_of(
                blocks.order_by("-created_at", "-pk"), request.GET.get("sperren"), size=25
            ),
            "log": selectors.page_of(
                log.order_by("-created_at", "-pk"), request.GET.get("protokoll"), size=25
            ),
        },
    )


@require_POST
@login_required
def moderation_act(request: HttpRequest, slug: str, kind: str, pk: int, action: str) -> HttpResponse:
    """``kind``/``action``: idee|kommentar + ausblenden|wiederherstellen|sperren (the author),
    meldung + verwerfen, person + entsperren."""
    from django.contrib.auth import get_user_model

    process = _process_or_404(request, slug)
    queue = reverse("participation:moderation", kwargs={"slug": slug})
    if not rules.is_moderator(request.user, process):
        raise PermissionDenied(_("Nur Moderator:innen der veranstaltenden Organisation dürfen das."))
    target: Any
    if kind == "idee":
        target = get_object_or_404(Idea, pk=pk, process=process)
    elif kind == "kommentar":
        target = get_object_or_404(Comment, pk=pk, idea__process=process)
    elif kind == "meldung":
        target = get_object_or_404(
            Report.objects.filter(Q(idea__process=process) | Q(comment__idea__process=process)), pk=pk
        )
    elif kind == "person":
        target = get_object_or_404(get_user_model(), pk=pk)
    else:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie einen Grund an (höchstens 1.000 Zeichen)."))
        return _back(request, queue)
    reason = form.cleaned_data["reason"]
    moderator = request.user
    try:
        if kind in ("idee", "kommentar") and action == "ausblenden":
            services.moderation_hide(moderator=moderator, target=target, reason=reason)
        elif kind in ("idee", "kommentar") and action == "wiederherstellen":
            services.moderation_restore(moderator=moderator, target=target, reason=reason)
        elif kind in ("idee", "kommentar") and action == "sperren":
            if target.author is None:
                raise DomainError(
                    "no_author", _("Dieser Beitrag hat keine Person, die gesperrt werden kann.")
                )
            services.user_block(moderator=moderator, process=process, user=target.author, reason=reason)
        elif kind == "meldung" and action == "verwerfen":
            services.report_dismiss(moderator=moderator, report=target, reason=reason)
        elif kind == "person" and action == "entsperren":
            services.user_unblock(moderator=moderator, process=process, user=target, reason=reason)
        else:
            raise Http404
    except DomainError as exc:
        page_error(request, exc)
        return _back(request, queue)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return _back(request, queue)
    messages.success(request, _("Die Entscheidung ist gespeichert und protokolliert."))
    return _back(request, queue)
