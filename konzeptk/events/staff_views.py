"""The calendar's administration (``/veranstaltungen/verwaltung/``): moderation, feeds, import reports."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.events import importer, selectors, services
from konzeptk.events.forms import FeedForm, RejectForm
from konzeptk.events.models import Event

PAGE_SIZE = 25


def _staff(request: HttpRequest, perm: str = "events.moderate") -> User:
    user = cast(User, request.user)
    if not user.has_perm(perm):
        raise PermissionDenied
    return user


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _staff(request)
    status = request.GET.get("status") or Event.Status.PENDING
    if status not in Event.Status.values:
        status = Event.Status.PENDING
    page = Paginator(selectors.moderation_queue(status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/staff_queue.html",
        {
            "page": page,
            "events": list(page.object_list),
            "status": status,
            "statuses": Event.Status.choices,
            "query": f"status={status}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    event = selectors.event_visible(pk, user=user)
    if event is None:
        raise Http404
    form = RejectForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "publish":
                services.event_publish(event=event, by=user)
                messages.success(request, _("Die Veranstaltung ist veröffentlicht."))
                return redirect("events:staff_queue")
            if action == "reject":
                form = RejectForm(request.POST)
                if form.is_valid():
                    services.event_reject(event=event, by=user, reason=form.cleaned_data["reason"])
                    messages.success(
                        request,
                        _("Die Veranstaltung ist abgelehnt. Die einreichende Person wird benachrichtigt."),
                    )
                    return redirect("events:staff_queue")
                status = 400
            else:
                status = 400
        except DomainError as error:
            status = page_error(request, error, form=form)
    return render(request, "events/staff_moderate.html", {"event": event, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def feeds(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "events.manage_feeds")
    form = FeedForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                feed = services.feed_register(by=user, **form.cleaned_data)
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(request, _("Der Kalender ist eingetragen."))
                return redirect("events:staff_feed", pk=feed.pk)
        else:
            status = 400
    page = Paginator(selectors.feeds_overview(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/staff_feeds.html",
        {"form": form, "page": page, "feeds": list(page.object_list), "query": ""},
        status=status,
    )


@login_required
@require_GET
def feed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, "events.manage_feeds")
    feed = selectors.feed_by_pk(pk)
    if feed is None:
        raise Http404
    page = Paginator(selectors.runs_of(feed), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/staff_feed.html",
        {"feed": feed, "page": page, "runs": list(page.object_list), "query": ""},
    )


@login_required
@require_POST
def feed_run(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, "events.manage_feeds")
    feed = selectors.feed_by_pk(pk)
    if feed is None:
        raise Http404
    run = importer.feed_import(feed=feed)
    return redirect("events:staff_run", pk=run.pk)


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request, "events.manage_feeds")
    run = selectors.run_by_pk(pk)
    if run is None:
        raise Http404
    return render(request, "events/staff_run.html", {"run": run, "errors": run.errors[:200]})
