"""Pages of comments: writing, changing and deleting one, and reporting a contribution."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konzeptk.core.errors import DomainError
from konzeptk.core.ratelimits import limit
from konzeptk.participation import rules, selectors, services
from konzeptk.participation.forms import CommentForm, ReasonForm
from konzeptk.participation.models import Comment, Idea
from konzeptk.participation.views.common import _process_or_404, refused, signed_in

#: ``kind`` in the path of the report page: an idea (else a comment)
IDEA_KIND = "idee"


@require_POST
@limit("comment")
def comment_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    process = _process_or_404(request, slug)
    idea = selectors.idea_of_process(process, pk)
    if idea is None:
        raise Http404(_("Diese Idee gibt es nicht."))
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(idea)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = selectors.reply_parent(idea, form.cleaned_data["parent"])
        if parent is None:
            messages.error(request, _("Der Kommentar, auf den Sie antworten wollten, gibt es nicht mehr."))
            return redirect(idea)
    try:
        comment = services.comment_create(
            idea=idea, author=request.user, text=form.cleaned_data["text"], parent=parent
        )
    except (DomainError, ValidationError) as exc:
        refused(request, exc)
        return redirect(idea)
    messages.success(request, _("Ihr Kommentar ist veröffentlicht."))
    return redirect(f"{idea.get_absolute_url()}#kommentar-{comment.pk}")


def _comment(slug: str, pk: int) -> Comment:
    comment = selectors.comment_of(slug, pk)
    if comment is None:
        raise Http404(_("Diesen Kommentar gibt es nicht."))
    return comment


@login_required
def comment_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    comment = _comment(slug, pk)
    denial = rules.denial(request.user, "change_comment", comment)
    form = CommentForm(request.POST or None, initial={"text": comment.text})
    status = 0
    if request.method == "POST" and denial is None and form.is_valid():
        try:
            services.comment_update(comment=comment, user=signed_in(request), text=form.cleaned_data["text"])
        except (DomainError, ValidationError) as exc:
            status = refused(request, exc, form=form)
        else:
            messages.success(request, _("Ihr Kommentar ist geändert."))
            return redirect(f"{comment.idea.get_absolute_url()}#kommentar-{comment.pk}")
    return render(
        request,
        "participation/comment_form.html",
        {"comment": comment, "form": form, "denial": denial, "process": comment.idea.process},
        status=403 if denial else (status or (400 if form.errors else 200)),
    )


@require_POST
@login_required
def comment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    comment = _comment(slug, pk)
    try:
        services.comment_delete(comment=comment, user=signed_in(request))
    except (DomainError, ValidationError) as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Ihr Kommentar ist gelöscht."))
    return redirect(comment.idea)


@login_required
def report(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    target: Idea | Comment
    if kind == IDEA_KIND:
        found = selectors.visible_idea(slug, pk)
        if found is None:
            raise Http404(_("Diese Idee gibt es nicht."))
        target = idea = found
    else:
        target = _comment(slug, pk)
        idea = target.idea
    form = ReasonForm(request.POST or None)
    denial = None
    status = 0
    if target.author_id == request.user.pk:
        denial = _("Sie können Ihren eigenen Beitrag nicht melden.")
    if request.method == "POST" and denial is None and form.is_valid():
        try:
            services.report_create(
                reporter=signed_in(request), target=target, reason=form.cleaned_data["reason"]
            )
        except (DomainError, ValidationError) as exc:
            status = refused(request, exc, form=form)
        else:
            messages.success(request, _("Danke! Die Moderation prüft Ihre Meldung."))
            return redirect(idea)
    return render(
        request,
        "participation/report_form.html",
        {"target": target, "idea": idea, "process": idea.process, "form": form, "denial": denial},
        status=403 if denial else (status or (400 if form.errors else 200)),
    )
