"""Staff pages of a process: answering ideas, entering offline contributions, moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.forms import AnswerForm, OfflineForm, ReasonForm
from konzeptk.participation.models import Comment, Idea, Process, Report
from konzeptk.participation.views.common import _back, _process_or_404, refused, signed_in

#: rows per list on the moderation page; each list pages with its own parameter
MODERATION_PAGE_SIZE = 25


def _idea_or_404(process: Process, pk: int) -> Idea:
    idea = selectors.idea_of_process(process, pk)
    if idea is None:
        raise Http404(_("Diese Idee gibt es nicht."))
    return idea


@require_POST
@login_required
def idea_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The organiser's answer to an idea. A refusal of the service (not the organiser) is the 403 page."""
    process = _process_or_404(request, slug)
    idea = _idea_or_404(process, pk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors)
        keys = set(form.translations())
        values = {k: v for k, v in form.cleaned_data.items() if k not in keys}
        services.idea_answer(idea=idea, by=signed_in(request), translations=form.translations(), **values)
    except ValidationError as exc:
        refused(request, exc)
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
                entered_by=signed_in(request),
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
        except (DomainError, ValidationError) as exc:
            refused(request, exc, form=form)
        else:
            messages.success(request, _("Der Beitrag ist erfasst."))
            return redirect(idea)
    return render(
        request,
        "participation/offline_form.html",
        {"process": process, "form": form},
        status=400 if form.errors else 200,
    )


def _moderated_process(request: HttpRequest, slug: str, refusal: str) -> Process:
    process = _process_or_404(request, slug)
    if not rules.is_moderator(request.user, process):
        raise PermissionDenied(refusal)
    return process


@login_required
def moderation_queue(request: HttpRequest, slug: str) -> HttpResponse:
    process = _moderated_process(
        request, slug, _("Nur Moderator:innen der veranstaltenden Organisation sehen die Meldungen.")
    )
    queue = selectors.moderation_queue(process)

    def page(qs: QuerySet[Any], param: str) -> Page[Any]:
        return selectors.page_of(qs, request.GET.get(param), size=MODERATION_PAGE_SIZE)

    return render(
        request,
        "participation/moderation.html",
        {
            "process": process,
            "reports": page(queue.reports, "reports_page"),
            "hidden_ideas": page(queue.hidden_ideas, "ideas_page"),
            "hidden_comments": page(queue.hidden_comments, "comments_page"),
            "blocks": page(queue.blocks, "blocks_page"),
            "log": page(queue.log, "log_page"),
        },
    )


ModerationTarget = Idea | Comment | Report | User

#: the ``kind`` segment of the moderation URL and its ``action`` segments
CONTRIBUTION_KINDS = ("idee", "kommentar")


def _moderation_target(process: Process, kind: str, pk: int) -> ModerationTarget:
    target: ModerationTarget | None
    if kind == "idee":
        target = selectors.idea_of_process(process, pk)
    elif kind == "kommentar":
        target = selectors.comment_of(process.slug, pk)
    elif kind == "meldung":
        target = selectors.report_of(process, pk)
    elif kind == "person":
        target = selectors.person(pk)
    else:
        target = None
    if target is None:
        raise Http404(_("Diesen Eintrag gibt es nicht."))
    return target


def _moderate(
    *, moderator: User, process: Process, target: ModerationTarget, action: str, reason: str
) -> None:
    """Call the one service the action means; an action that does not fit the target is a 404."""
    if isinstance(target, Idea | Comment) and action == "ausblenden":
        services.moderation_hide(moderator=moderator, target=target, reason=reason)
    elif isinstance(target, Idea | Comment) and action == "wiederherstellen":
        services.moderation_restore(moderator=moderator, target=target, reason=reason)
    elif isinstance(target, Idea | Comment) and action == "sperren":
        if target.author is None:
            raise DomainError("no_author", _("Dieser Beitrag hat keine Person, die gesperrt werden kann."))
        services.user_block(moderator=moderator, process=process, user=target.author, reason=reason)
    elif isinstance(target, Report) and action == "verwerfen":
        services.report_dismiss(moderator=moderator, report=target, reason=reason)
    elif isinstance(target, User) and action == "entsperren":
        services.user_unblock(moderator=moderator, process=process, user=target, reason=reason)
    else:
        raise Http404


@require_POST
@login_required
def moderation_act(request: HttpRequest, slug: str, kind: str, pk: int, action: str) -> HttpResponse:
    """``kind``/``action``: idee|kommentar + ausblenden|wiederherstellen|sperren (the author),
    meldung + verwerfen, person + entsperren."""
    process = _moderated_process(
        request, slug, _("Nur Moderator:innen der veranstaltenden Organisation dürfen das.")
    )
    queue = reverse("participation:moderation", kwargs={"slug": slug})
    target = _moderation_target(process, kind, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte geben Sie einen Grund an (höchstens 1.000 Zeichen)."))
        return _back(request, queue)
    try:
        _moderate(
            moderator=signed_in(request),
            process=process,
            target=target,
            action=action,
            reason=form.cleaned_data["reason"],
        )
    except (DomainError, ValidationError) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Die Entscheidung ist gespeichert und protokolliert."))
    return _back(request, queue)
