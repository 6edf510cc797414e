"""Pages of ideas: the list (and map), one idea, proposing and changing, supporting, following."""

from __future__ import annotations

import random
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konzeptk.accounts.models import User
from konzeptk.city.selectors import active_profile
from konzeptk.core.content import content_translations, german
from konzeptk.core.errors import DomainError
from konzeptk.core.maps import MAX_INLINE_FEATURES
from konzeptk.core.ratelimits import limit
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.forms import AnswerForm, CommentForm, FilterForm, IdeaForm
from konzeptk.participation.models import Idea, Process
from konzeptk.participation.views.common import SEED_KEY, _back, _process_or_404, refused, signed_in

#: ``?view=`` of the idea list: the list (default) or the map of the districts
MAP_VIEW = "map"
LIST_VIEW = "list"


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
    qs = selectors.ideas_filtered(
        process,
        topic=values.get("topic", ""),
        district_id=values.get("district"),
        status=values.get("status", ""),
        sort=sort,
        seed=_seed(request) if sort == "random" else 1,
    )
    page = selectors.page_of_ids(qs, request.GET.get("page"))
    ideas = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    view = MAP_VIEW if request.GET.get("view") == MAP_VIEW else LIST_VIEW
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
            "map": selectors.idea_map(process, district_context) if view == MAP_VIEW else None,
            "map_points": selectors.idea_points(qs, limit=MAX_INLINE_FEATURES),
            "map_limit": MAX_INLINE_FEATURES,
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


def _outline() -> dict[str, Any] | None:
    profile = active_profile()
    return profile.boundary if profile else None


def _form_page(
    request: HttpRequest, process: Process, form: IdeaForm, denial: str | None, idea: Idea | None, status: int
) -> HttpResponse:
    return render(
        request,
        "participation/idea_form.html",
        {"process": process, "form": form, "denial": denial, "idea": idea, "outline": _outline()},
        status=403 if denial else (status or (400 if form.errors else 200)),
    )


@limit("idea")
def idea_create(request: HttpRequest, slug: str) -> HttpResponse:
    process = _process_or_404(request, slug)
    if not isinstance(request.user, User):
        return redirect(f"{reverse('account_login')}?next={request.path}")
    denial = rules.denial(request.user, "add_idea", process)
    form = IdeaForm(request.POST or None, request.FILES or None, districts=selectors.current_districts())
    status = 0
    if request.method == "POST" and denial is None and form.is_valid():
        try:
            idea = services.idea_create(process=process, author=request.user, **_idea_form_values(form))
        except (DomainError, ValidationError) as exc:
            status = refused(request, exc, form=form)
        else:
            messages.success(request, _("Vielen Dank! Ihre Idee ist veröffentlicht."))
            return redirect(idea)
    return _form_page(request, process, form, denial, None, status)


def _idea_or_404(process: Process, pk: int, *, visible: bool = True) -> Idea:
    idea = selectors.idea_of_process(process, pk)
    if idea is None or (visible and not idea.is_visible):
        raise Http404(_("Diese Idee gibt es nicht."))
    return idea


def idea_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = _idea_or_404(process, pk, visible=False)
    user = request.user
    if not (idea.is_visible or rules.is_moderator(user, process)):
        return render(request, "participation/idea_gone.html", {"process": process, "idea": idea}, status=410)
    measure = selectors.measure_for(idea)
    return render(
        request,
        "participation/idea_detail.html",
        {
            "process": process,
            "idea": idea,
            "comments": selectors.comments_page(idea, request.GET.get("comments_page")),
            "measure": measure,
            "comment_form": CommentForm(),
            "supported": bool(selectors.supported_ids(user, [idea])),
            "following": selectors.is_following(user, idea=idea),
            "support_denial": rules.denial(user, "support", idea),
            "comment_denial": rules.denial(user, "comment", idea),
            "can_change": rules.may(user, "change_idea", idea),
            "is_editor": rules.is_editor(user, process),
            "is_moderator": rules.is_moderator(user, process),
            "answer_form": AnswerForm(
                initial={
                    "status": idea.status,
                    "answer": german(idea, "answer"),
                    **content_translations(idea, AnswerForm.translated_fields),
                    "strategy_project": idea.strategy_project_id,
                    "strategy_measure": measure.pk if measure else None,
                }
            ),
            "can_reply": rules.may(user, "comment", idea),
        },
    )


@login_required
def idea_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = _idea_or_404(process, pk)
    denial = rules.denial(request.user, "change_idea", idea)
    if denial and request.method == "GET":
        messages.error(request, denial)
        return redirect(idea)
    initial = {
        "title": idea.title,
        "text": idea.text,
        "topic": idea.topic,
        "district": idea.district_id,
        "address": idea.address,
        "lat": idea.lat,
        "lon": idea.lon,
    }
    form = IdeaForm(
        request.POST or None, request.FILES or None, districts=selectors.current_districts(), initial=initial
    )
    status = 0
    if request.method == "POST" and denial is None and form.is_valid():
        try:
            services.idea_update(
                idea=idea,
                user=signed_in(request),
                **_idea_form_values(form),
                remove_image=bool(request.POST.get("image-clear")),
            )
        except (DomainError, ValidationError) as exc:
            status = refused(request, exc, form=form)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect(idea)
    return _form_page(request, process, form, denial, idea, status)


@require_POST
@limit("support")
def idea_support(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = _idea_or_404(process, pk, visible=False)
    try:
        if request.POST.get("on") == "0":
            services.support_remove(idea=idea, user=request.user)
            messages.success(request, _("Sie unterstützen diese Idee nicht mehr."))
        elif services.support_add(idea=idea, user=request.user):
            messages.success(request, _("Danke! Sie unterstützen diese Idee."))
        else:
            messages.info(request, _("Sie unterstützen diese Idee bereits."))
    except (DomainError, ValidationError) as exc:
        refused(request, exc)
    return _back(request, idea.get_absolute_url())


@require_POST
@limit("follow")
def idea_follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = _idea_or_404(process, pk)
    try:
        on = services.follow_set(user=request.user, idea=idea, on=request.POST.get("on") == "1")
    except (DomainError, ValidationError) as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("Sie werden über Neuigkeiten zu dieser Idee benachrichtigt.")
            if on
            else _("Sie folgen dieser Idee nicht mehr."),
        )
    return redirect(idea)
