"""Pages of the participation app. Thin: parse the request, call one service or selector, render."""

from __future__ import annotations

import random
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konzeptk.city.selectors import active_profile
from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.forms import (
    AnswerForm,
    CommentForm,
    FilterForm,
    IdeaForm,
    OfflineForm,
    ProcessForm,
    ReasonForm,
)
from konzeptk.participation.models import (
    Ballot,
    Comment,
    Follow,
    Idea,
    Notification,
    NotificationSetting,
    Process,
    Report,
    Vote,
)
from konzeptk.participation.notifications import user_for_unsubscribe_token
from konzeptk.participation.phases import registry

SEED_KEY = "participation_seed"


def _process_or_404(request: HttpRequest, slug: str) -> Process:
    process = selectors.process_by_slug(slug)
    if process is None or not (process.is_public or rules.is_editor(request.user, process)):
        raise Http404(_("Diesen Beteiligungsprozess gibt es nicht."))
    return process


def _apply_errors(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(nxt)
    return HttpResponseRedirect(fallback)


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


# --- ideas -----------------------------------------------------------------------------------


def _seed(request: HttpRequest) -> int:
    seed = request.session.get(SEED_KEY)
    if not isinstance(seed, int):
        seed = random.randint(1, 1_000_000)
        request.session[SEED_KEY] = seed
    return seed


def idea_list(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    district_context = selectors.district_context()
    districts = list(district_context.districts) if district_context else []
    form = FilterForm(request.GET or None, districts=districts)
    values = form.values() if request.GET else {}
    sort = values.get("sort") or "newest"
    seed = _seed(request) if sort == "random" else 1
    qs = selectors.ideas_filtered(
        process,
        topic=values.get("topic", ""),
        district_id=values.get("district"),
        status=values.get("status", ""),
        sort=sort,
        seed=seed,
    )
    page = selectors.page_of_ids(qs, request.GET.get("seite"))
    ideas = list(page.object_list)
    query = request.GET.copy()
    query.pop("seite", None)
    view = "karte" if request.GET.get("ansicht") == "karte" else "liste"
    return render(
        request,
        "participation/idea_list.html",
        {
            "process": process,
            "form": form,
            "page": page,
            "ideas": ideas,
            "supported": selectors.supported_ids(request.user, ideas),
            "query": query.urlencode(),
            "view": view,
            "map": selectors.idea_map(process, district_context) if view == "karte" else None,
            "can_add": rules.may(request.user, "add_idea", process),
            "phase": process.active_phase(),
        },
    )


def _idea_form_values(form: IdeaForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "text": data["text"],
        "topic": data.get("topic") or "",
        "district": data.get("district"),
        "address": data.get("address") or "",
        "lat": data.get("lat"),
        "lon": data.get("lon"),
        "image": data.get("image") or None,
    }


@limit("idea")
def idea_create(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    denial = rules.denial(request.user, "add_idea", process)
    districts = selectors.current_districts()
    form = IdeaForm(request.POST or None, request.FILES or None, districts=districts)
    refused = 0
    if request.method == "POST" and denial is None and form.is_valid():
        try:
            idea = services.idea_create(process=process, author=request.user, **_idea_form_values(form))
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            refused = page_error(request, exc, form=form)
        else:
            messages.success(request, _("Vielen Dank! Ihre Idee ist veröffentlicht."))
            return redirect(idea)
    status = 403 if denial else (refused or (400 if form.errors else 200))
    return render(
        request,
        "participation/idea_form.html",
        {"process": process, "form": form, "denial": denial, "idea": None, "outline": _outline()},
        status=status,
    )


def _outline() -> Any:
    profile = active_profile()
    return profile.boundary if profile else None


def _visible_idea(request: HttpRequest, process: Process, pk: int) -> tuple[Idea | None, HttpResponse | None]:
    idea = get_object_or_404(
        Idea.objects.select_related("district", "author", "process", "strategy_project").defer(
            "district__geometry", "process__description", *selectors.PROJECT_DEFER
        ),
        pk=pk,
        process=process,
    )
    if idea.is_visible or rules.is_moderator(request.user, process):
        return idea, None
    return None, render(
        request, "participation/idea_gone.html", {"process": process, "idea": idea}, status=410
    )


def idea_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea, gone = _visible_idea(request, process, pk)
    if gone:
        return gone
    assert idea is not None
    user = request.user
    comments = selectors.comments_page(idea, request.GET.get("kommentare"))
    measure = selectors.measure_for(idea)
    return render(
        request,
        "participation/idea_detail.html",
        {
            "process": process,
            "idea": idea,
            "comments": comments,
            "measure": measure,
            "comment_form": CommentForm(),
            "supported": bool(selectors.supported_ids(user, [idea])),
            "following": user.is_authenticated and Follow.objects.filter(user=user, idea=idea).exists(),
            "support_denial": rules.denial(user, "support", idea),
            "comment_denial": rules.denial(user, "comment", idea),
            "can_change": rules.may(user, "change_idea", idea),
            "is_editor": rules.is_editor(user, process),
            "is_moderator": rules.is_moderator(user, process),
            "answer_form": AnswerForm(
                initial={
                    "status": idea.status,
                    "answer": idea.answer,
                    "strategy_project": idea.strategy_project_id,
                    "strategy_measure": measure.pk if measure else None,
                }
            ),
            "can_reply": rules.may(user, "comment", idea),
        },
    )


def idea_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = get_object_or_404(Idea.objects.visible(), pk=pk, process=process)
    denial = rules.denial(request.user, "change_idea", idea)
    if denial and request.method == "GET":
        messages.error(request, denial)
        return redirect(idea)
    districts = selectors.current_districts()
    initial = {
        "title": idea.title,
        "text": idea.text,
        "topic": idea.topic,
        "district": idea.district_id,
        "address": idea.address,
        "lat": idea.lat,
        "lon": idea.lon,
    }
    form = IdeaForm(request.POST or None, request.FILES or None, districts=districts, initial=initial)
    refused = 0
    if request.method == "POST" and denial is None and form.is_valid():
        try:
            services.idea_update(
                idea=idea,
                user=request.user,
                **_idea_form_values(form),
                remove_image=bool(request.POST.get("image-clear")),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            refused = page_error(request, exc, form=form)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(idea)
    return render(
        request,
        "participation/idea_form.html",
        {"process": process, "form": form, "denial": denial, "idea": idea, "outline": _outline()},
        status=403 if denial else (refused or (400 if form.errors else 200)),
    )


@require_POST
@limit("support")
def idea_support(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = get_object_or_404(Idea, pk=pk, process=process)
    try:
        if request.POST.get("on") == "0":
            services.support_remove(idea=idea, user=request.user)
            messages.success(request, _("Sie unterstützen diese Idee nicht mehr."))
        elif services.support_add(idea=idea, user=request.user):
            messages.success(request, _("Danke! Sie unterstützen diese Idee."))
        else:
            messages.info(request, _("Sie unterstützen diese Idee bereits."))
    except DomainError as exc:
        page_error(request, exc)
    return _back(request, idea.get_absolute_url())


@require_POST
def idea_follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = get_object_or_404(Idea.objects.visible(), pk=pk, process=process)
    try:
        on = services.follow_set(user=request.user, idea=idea, on=request.POST.get("on") == "1")
    except DomainError as exc:
        page_error(request, exc)
    else:
        messages.success(
            request,
            _("Sie werden über Neuigkeiten zu dieser Idee benachrichtigt.")
            if on
            else _("Sie folgen dieser Idee nicht mehr."),
        )
    return redirect(idea)


@require_POST
@limit("comment")
def comment_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = get_object_or_404(Idea, pk=pk, process=process)
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(idea)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], idea=idea).first()
        if parent is None:
            messages.error(request, _("Der Kommentar, auf den Sie antworten wollten, gibt es nicht mehr."))
            return redirect(idea)
    try:
        comment = services.comment_create(
            idea=idea, author=request.user, text=form.cleaned_data["text"], parent=parent
        )
    except DomainError as exc:
        page_error(request, exc)
        return redirect(idea)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect(idea)
    messages.success(request, _("Ihr Kommentar ist veröffentlicht."))
    return redirect(f"{idea.get_absolute_url()}#kommentar-{comment.pk}")


def _comment(slug: str, pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("idea__process"), pk=pk, idea__process__slug=slug)


@login_required
def comment_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    comment = _comment(slug, pk)
    denial = rules.denial(request.user, "change_comment", comment)
    form = CommentForm(request.POST or None, initial={"text": comment.text})
    refused = 0
    if request.method == "POST" and denial is None and form.is_valid():
        try:
            services.comment_update(comment=comment, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            refused = page_error(request, exc, form=form)
        else:
            messages.success(request, _("Ihr Kommentar ist geändert."))
            return redirect(f"{comment.idea.get_absolute_url()}#kommentar-{comment.pk}")
    return render(
        request,
        "participation/comment_form.html",
        {"comment": comment, "form": form, "denial": denial, "process": comment.idea.process},
        status=403 if denial else (refused or (400 if form.errors else 200)),
    )


@require_POST
@login_required
def comment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    comment = _comment(slug, pk)
    try:
        services.comment_delete(comment=comment, user=request.user)
    except DomainError as exc:
        page_error(request, exc)
    else:
        messages.success(request, _("Ihr Kommentar ist gelöscht."))
    return redirect(comment.idea)


@login_required
def report(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    target: Idea | Comment
    if kind == "idee":
        target = get_object_or_404(Idea.objects.visible(), pk=pk, process__slug=slug)
        idea = target
    else:
        target = _comment(slug, pk)
        idea = target.idea
    form = ReasonForm(request.POST or None)
    denial = None
    refused = 0
    if target.author_id == request.user.pk:
        denial = _("Sie können Ihren eigenen Beitrag nicht melden.")
    if request.method == "POST" and denial is None and form.is_valid():
        try:
            services.report_create(reporter=request.user, target=target, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            refused = page_error(request, exc, form=form)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Danke! Die Moderation prüft Ihre Meldung."))
            return redirect(idea)
    return render(
        request,
        "participation/report_form.html",
        {"target": target, "idea": idea, "process": idea.process, "form": form, "denial": denial},
        status=403 if denial else (refused or (400 if form.errors else 200)),
    )


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


# --- results, netiquette, inbox ---------------------------------------------------------------


def results(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    return render(
        request, "participation/results.html", {"process": process, **selectors.results_of(process)}
    )


def netiquette(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/netiquette.html", {"phase_types": registry.all()})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    qs = Notification.objects.filter(recipient=user)
    page = selectors.page_of(qs, request.GET.get("seite"))
    if request.method == "POST":
        qs.filter(read_at=None).update(read_at=timezone.now())
        return redirect("participation:inbox")
    # a GET never writes: without stored settings the defaults apply (an unsaved row)
    setting = NotificationSetting.objects.filter(user=user).first() or NotificationSetting(user=user)
    return render(request, "participation/inbox.html", {"page": page, "setting": setting})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_unsubscribe_token(token)
    if user is None:
        return render(request, "participation/unsubscribe.html", {"ok": False}, status=400)
    if request.method == "POST":
        NotificationSetting.objects.update_or_create(
            user=user, defaults={"email_frequency": NotificationSetting.Frequency.NEVER}
        )
        return render(request, "participation/unsubscribe.html", {"ok": True, "done": True})
    return render(request, "participation/unsubscribe.html", {"ok": True, "done": False})


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


# --- verification ----------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return ""


@login_required
@limit("verification_code")
def verification(request: HttpRequest) -> HttpResponse:
    """A resident states their postcode (self-declared) or types the code from their code letter."""
    from konzeptk.participation.forms import CodeForm, PostcodeForm
    from konzeptk.participation.models import Level, Verification

    user: Any = request.user
    postcode_form = PostcodeForm(request.POST if request.POST.get("form") == "postcode" else None)
    code_form = CodeForm(request.POST if request.POST.get("form") == "code" else None)
    status = 200
    if (
        request.method == "POST"
        and Verification.objects.filter(user=user, verified_at__isnull=False).exists()
    ):
        messages.info(request, _("Sie sind bereits als Einwohner:in bestätigt."))
        return HttpResponseRedirect(_next_url(request) or reverse("participation:verification"))
    if request.method == "POST":
        status = 400
        form = postcode_form if postcode_form.is_bound else code_form
        if not form.is_bound:
            messages.error(request, _("Bitte füllen Sie eines der beiden Formulare aus."))
        elif form.is_valid():
            try:
                if form is postcode_form:
                    services.resident_declare(user=user, postcode=form.cleaned_data["postcode"])
                    messages.success(request, _("Danke! Ihr Wohnort ist gespeichert (selbst angegeben)."))
                else:
                    services.code_letter_redeem(user=user, code=form.cleaned_data["code"])
                    messages.success(request, _("Danke! Sie sind jetzt als Einwohner:in bestätigt."))
            except ValidationError as exc:
                _apply_errors(form, exc)
            except DomainError as exc:
                status = page_error(request, exc, form=form)
            else:
                return HttpResponseRedirect(_next_url(request) or reverse("participation:verification"))
    record = Verification.objects.filter(user=user).select_related("confirmed_by").first()
    level = rules.user_level(user)
    levels = [(value, label, level >= value) for value, label in Level.choices if value > Level.ACCOUNT]
    return render(
        request,
        "participation/verification.html",
        {
            "record": record,
            "level": level,
            "levels": levels,
            "level_label": Level(max(level, 0)).label,
            "postcode_form": postcode_form,
            "code_form": code_form,
            "next": _next_url(request),
            "profile": selectors.light_profile(),
        },
        status=status,
    )


@login_required
def verification_staff(request: HttpRequest) -> HttpResponse:
    """Bürgerbüro: find a person by the e-mail address of their account, confirm them in person or print
    a code letter; recent confirmations below."""
    from django.contrib.auth import get_user_model

    from konzeptk.participation.forms import ConfirmForm, LetterForm, PersonLookupForm
    from konzeptk.participation.models import CodeLetter, Level, Verification

    staff: Any = request.user
    if not rules.may_verify_residents(staff):
        raise PermissionDenied(_("Diese Seite ist für Mitarbeiter:innen der Bürgerbüros."))
    User = get_user_model()
    lookup = PersonLookupForm(request.GET if "email" in request.GET else None)
    person = None
    if lookup.is_bound and lookup.is_valid():
        person = User.objects.filter(email__iexact=lookup.cleaned_data["email"]).first()
    letter_text: dict[str, Any] | None = None
    status = 200
    confirm_form = ConfirmForm(request.POST if request.POST.get("action") == "confirm" else None)
    letter_form = LetterForm(request.POST if request.POST.get("action") == "letter" else None)
    if request.method == "POST":
        form = confirm_form if confirm_form.is_bound else letter_form
        if form.is_bound and form.is_valid():
            person = get_object_or_404(User, pk=form.cleaned_data["user"])
            if form is confirm_form:
                services.resident_confirm(staff=staff, user=person, method=Verification.Method.IN_PERSON)
                messages.success(
                    request,
                    _("%(name)s ist jetzt als Einwohner:in bestätigt.") % {"name": person.public_name},
                )
                return redirect(f"{reverse('participation:verification_staff')}?email={person.email}")
            _letter, code = services.code_letter_issue(staff=staff, user=person)
            letter_text = {
                "code": services.format_code(code),
                "address": form.cleaned_data.get("address", ""),
                "valid_days": services.CODE_VALID.days,
                "url": request.build_absolute_uri(reverse("participation:verification")),
            }
        else:
            status = 400
            messages.error(
                request, _("Bitte bestätigen Sie, dass Sie Ausweis und Meldeadresse geprüft haben.")
            )
    state = None
    if person is not None:
        record = Verification.objects.filter(user=person).first()
        open_letters = CodeLetter.objects.filter(
            user=person, used_at=None, expires_at__gt=timezone.now()
        ).count()
        state = {
            "person": person,
            "record": record,
            "level": Level(max(rules.user_level(person), 0)).label,
            "open_letters": open_letters,
        }
        confirm_form = ConfirmForm(initial={"user": person.pk})
        if letter_text is None:
            letter_form = LetterForm(initial={"user": person.pk})
    recent = selectors.page_of(
        Verification.objects.filter(verified_at__isnull=False)
        .select_related("user", "confirmed_by")
        .order_by("-verified_at", "-pk"),
        request.GET.get("seite"),
    )
    return render(
        request,
        "participation/verification_staff.html",
        {
            "lookup": lookup,
            "state": state,
            "not_found": lookup.is_bound and lookup.is_valid() and person is None,
            "confirm_form": confirm_form,
            "letter_form": letter_form,
            "letter": letter_text,
            "recent": recent,
        },
        status=status,
    )


# --- notification settings -------------------------------------------------------------------


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    from konzeptk.participation.forms import NotificationSettingsForm

    user: Any = request.user
    # a GET never writes: the row is created by the first saved form, the defaults apply until then
    setting = NotificationSetting.objects.filter(user=user).first() or NotificationSetting(user=user)
    form = NotificationSettingsForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("participation:notification_settings")
    follows = (
        Follow.objects.filter(user=user, process__isnull=False)
        .select_related("process")
        .order_by("process__title")[:100]
    )
    return render(
        request,
        "participation/notification_settings.html",
        {"form": form, "follows": follows},
        status=400 if form.errors else 200,
    )


# --- open data dumps -------------------------------------------------------------------------


def dumps(request: HttpRequest) -> HttpResponse:
    from konzeptk.participation import dumps as open_data

    manifest = open_data.manifest_read()
    return render(
        request,
        "participation/dumps.html",
        {"manifest": manifest, "min_group": open_data.MIN_GROUP},
    )


def dump_file(request: HttpRequest, name: str) -> HttpResponseBase:
    from django.http import FileResponse

    from konzeptk.participation import dumps as open_data

    if name not in open_data.allowed_names():
        raise Http404(_("Diese Datei gibt es nicht."))
    handle = open_data.dump_open(name)
    if handle is None:
        raise Http404(_("Diese Datei wurde noch nicht erzeugt."))
    content_type = "text/csv; charset=utf-8" if name.endswith(".csv") else "application/json"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="beteiligung-{name}"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- staff: processes and phases -------------------------------------------------------------


def _editor_organisations(user: Any) -> Any:
    from konzeptk.accounts.models import Membership, Organisation

    if user.is_platform_staff:
        return Organisation.objects.order_by("name")
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=rules.EDITOR_ROLES).values("organisation_id")
    ).order_by("name")


@login_required
def staff_processes(request: HttpRequest) -> HttpResponse:
    """The processes a person may run, drafts included."""
    user: Any = request.user
    organisations = _editor_organisations(user)
    if not organisations.exists():
        raise PermissionDenied(
            _(
                "Diese Seite ist für Redaktion, Moderation und Administration der veranstaltenden Organisationen."
            )
        )
    qs = (
        services.editable_processes(user).select_related("organiser").order_by("status", "-created_at", "-pk")
    )
    return render(
        request,
        "participation/staff_processes.html",
        {"page": selectors.page_of(qs, request.GET.get("seite"))},
    )


def _process_form_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "teaser": data.get("teaser", ""),
        "description": data.get("description", ""),
        "topics": list(data.get("topics") or []),
        "districts": list(data.get("districts") or []),
        "status": data["status"],
        "idea_level": data["idea_level"],
        "comment_level": data["comment_level"],
        "support_level": data["support_level"],
        "vote_level": data["vote_level"],
    }


@login_required
def process_new(request: HttpRequest) -> HttpResponse:
    import datetime as dt

    user: Any = request.user
    organisations = _editor_organisations(user)
    owned = list(organisations[:2])
    if not owned:
        raise PermissionDenied(_("Nur Redaktionen der veranstaltenden Organisationen legen Prozesse an."))
    from konzeptk.participation.models import Level

    form = ProcessForm(
        request.POST or None,
        organisations=organisations,
        districts=selectors.current_districts(),
        creating=True,
        initial={
            "status": Process.Status.DRAFT,
            "idea_level": Level.EMAIL,
            "comment_level": Level.EMAIL,
            "support_level": Level.EMAIL,
            "vote_level": Level.RESIDENT,
            "blueprint": "ideas",
            "start": timezone.localdate(),
            # most editors work for one organisation: it is chosen already
            "organiser": owned[0].pk if len(owned) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = data.get("start") or timezone.localdate()
        try:
            process = services.process_create(
                organiser=data["organiser"],
                slug=data["slug"],
                blueprint=data.get("blueprint") or None,
                start=timezone.make_aware(dt.datetime.combine(start, dt.time(0, 0))),
                by=user,
                **_process_form_values(data),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except DomainError as exc:
            page_error(request, exc, form=form)
        else:
            messages.success(request, _("Der Prozess ist angelegt. Prüfen Sie jetzt die Phasen."))
            return redirect("participation:process_phases", slug=process.slug)
    return render(
        request,
        "participation/process_form.html",
        {"form": form, "process": None},
        status=400 if form.errors else 200,
    )


def _editable_process(request: HttpRequest, slug: str) -> Process:
    process = get_object_or_404(Process.objects.select_related("organiser"), slug=slug)
    if not rules.is_editor(request.user, process):
        raise PermissionDenied(_("Nur die veranstaltende Organisation kann diesen Prozess ändern."))
    return process


@login_required
def process_edit(request: HttpRequest, slug: str) -> HttpResponse:
    process = _editable_process(request, slug)
    initial = {
        "title": process.title,
        "teaser": process.teaser,
        "description": process.description,
        "topics": process.topics,
        "districts": list(process.districts.values_list("pk", flat=True)),
        "status": process.status,
        "idea_level": process.idea_level,
        "comment_level": process.comment_level,
        "support_level": process.support_level,
        "vote_level": process.vote_level,
    }
    form = ProcessForm(
        request.POST or None,
        organisations=None,
        districts=selectors.current_districts(),
        creating=False,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.process_update(
                process=process, by=request.user, **_process_form_values(form.cleaned_data)
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(process)
    return render(
        request,
        "participation/process_form.html",
        {"form": form, "process": process},
        status=400 if form.errors else 200,
    )


def _flash_messages(request: HttpRequest, texts: list[str]) -> None:
    for text in texts:
        messages.error(request, text)


def _flash_form_errors(request: HttpRequest, form: Any) -> None:
    _flash_messages(request, [str(e) for field_errors in form.errors.values() for e in field_errors])


@login_required
def process_phases(request: HttpRequest, slug: str) -> HttpResponse:
    """Phases of a process: add, change, delete; set up the ballot of a ballot phase."""
    from django.db.models import Prefetch

    from konzeptk.participation.forms import BallotForm, PhaseForm
    from konzeptk.participation.models import Survey

    process = _editable_process(request, slug)
    surveys = Survey.objects.annotate(
        n_questions=Count("questions", distinct=True), n_responses=Count("responses", distinct=True)
    ).order_by("pk")
    phases = list(
        process.phases.select_related("ballot")
        .prefetch_related(Prefetch("surveys", queryset=surveys))
        .order_by("weight", "start")
    )
    action = request.POST.get("action", "")
    phase = None
    if request.POST.get("phase"):
        phase = next((p for p in phases if str(p.pk) == request.POST["phase"]), None)
        if phase is None:
            raise Http404(_("Diese Phase gibt es nicht."))
    new_form = PhaseForm(request.POST if action == "add" else None, prefix="neu")
    status = 200
    form: Any
    try:
        if action in ("add", "change"):
            form = new_form if action == "add" else PhaseForm(request.POST, prefix=f"p{phase.pk}")  # type: ignore[union-attr]
            if form.is_valid():
                try:
                    services.phase_save(process=process, by=request.user, phase=phase, **form.cleaned_data)
                except ValidationError as exc:
                    _flash_messages(request, exc.messages)
                    status = 400
                else:
                    messages.success(request, _("Die Phase ist gespeichert."))
                    return redirect("participation:process_phases", slug=slug)
            else:
                _flash_form_errors(request, form)
                status = 400
        elif action == "delete" and phase is not None:
            services.phase_delete(phase=phase, by=request.user)
            messages.success(request, _("Die Phase ist gelöscht."))
            return redirect("participation:process_phases", slug=slug)
        elif action == "ballot" and phase is not None and hasattr(phase, "ballot"):
            form = BallotForm(request.POST, prefix=f"b{phase.pk}")
            if form.is_valid():
                try:
                    services.ballot_configure(ballot=phase.ballot, by=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    _flash_messages(request, exc.messages)
                    status = 400
                else:
                    messages.success(request, _("Die Abstimmung ist eingerichtet."))
                    return redirect("participation:process_phases", slug=slug)
            else:
                _flash_form_errors(request, form)
                status = 400
        elif request.method == "POST":
            status = 400
            messages.error(request, _("Diese Aktion gibt es nicht."))
    except DomainError as exc:
        status = page_error(request, exc)
    items = []
    for p in phases:
        local = {"start": timezone.localtime(p.start), "end": timezone.localtime(p.end)}
        item: dict[str, Any] = {
            "phase": p,
            "form": PhaseForm(
                prefix=f"p{p.pk}",
                initial={"type": p.type, "name": p.name, "description": p.description, **local},
            ),
        }
        if p.phase_type.has_feature("answer", Survey):
            item["surveys"] = list(p.surveys.all())
        ballot = getattr(p, "ballot", None) if p.type == "ballot" else None
        if ballot is not None:
            item["ballot_form"] = BallotForm(
                prefix=f"b{p.pk}",
                initial={
                    "kind": ballot.kind,
                    "votes_per_person": ballot.votes_per_person,
                    "budget": ballot.budget,
                },
            )
        items.append(item)
    return render(
        request,
        "participation/process_phases.html",
        {"process": process, "items": items, "new_form": new_form, "now": timezone.now()},
        status=status,
    )


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
