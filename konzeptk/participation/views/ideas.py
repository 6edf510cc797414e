"""Pages of the participation app. Thin: parse the request, call one service or selector, render. (ideas)."""

from __future__ import annotations

import random
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
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
)
from konzeptk.participation.models import (
    Follow,
    Idea,
    Process,
)
from konzeptk.participation.views.common import SEED_KEY, _apply_errors, _back, _process_or_404

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
