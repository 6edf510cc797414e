"""Staff pages: the queue of an organisation and the work on one report."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from konzeptk.accounts.models import Organisation, User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.servicedesk import selectors, services
from konzeptk.servicedesk.forms import (
    AssignForm,
    ForwardForm,
    HideForm,
    MergeForm,
    NoteForm,
    PublishForm,
    QueueFilterForm,
    StaffForms,
    StatusForm,
)
from konzeptk.servicedesk.models import Report
from konzeptk.servicedesk.views import attribute_rows, map_context, status_texts, url_maker

QUEUE_PAGE_SIZE = 50


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # behind login_required: a real account
    if not user.has_perm("servicedesk.access_queue"):
        raise PermissionDenied
    organisations = list(selectors.organisations_for(user))
    if not organisations:
        raise PermissionDenied
    slug = request.GET.get("org") or organisations[0].slug
    organisation = next((o for o in organisations if o.slug == slug), None)
    if organisation is None and user.is_platform_staff:  # e.g. an organisation a report was forwarded to
        organisation = selectors.organisation_by_slug(slug)
    if organisation is None or not user.has_perm("servicedesk.view_queue", organisation):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    flt = selectors.QueueFilter(
        organisation=organisation,
        status=data.get("status") or "",
        category=data.get("category"),
        district=data.get("district"),
        unpublished_only=bool(data.get("unpublished")),
        assigned_to=user if data.get("mine") else None,
    )
    page = Paginator(selectors.staff_queue(flt), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    reports = list(page.object_list)
    context = {
        "organisations": organisations,
        "organisation": organisation,
        "form": form if request.GET else QueueFilterForm(),
        "page": page,
        "rows": _queue_rows(reports),
        "query": urlencode(query),
        **map_context(points=reports),
    }
    return render(request, "servicedesk/staff_queue.html", context)


def _queue_rows(reports: list[Report]) -> list[dict[str, Any]]:
    """The table cells of the queue, computed once here rather than per row in the template."""
    work_url = url_maker("servicedesk:work", "public_id")
    status_text = status_texts()
    rows = []
    for r in reports:
        rows.append(
            {
                "id": r.service_request_id,
                "url": work_url(r.service_request_id),
                "category": r.category.name,
                "district": r.district.name if r.district is not None else "",
                "date": timezone.localtime(r.requested_at).strftime("%d.%m.%Y"),
                "status": r.status,
                "status_text": status_text(r.status, r.close_reason),
                "hidden": r.hidden,
                "published": r.published,
                "assignee": (str(r.assignee) if r.assignee_id else "") or "–",
            }
        )
    return rows


def _forms(report: Report, data: Any = None, which: str = "") -> StaffForms:
    def bound(name: str) -> Any:
        return data if which == name else None

    return StaffForms(
        publish=PublishForm(
            bound("publish"),
            prefix="publish",
            report=report,
            initial={
                "description": report.description,
                "photos": [str(p.pk) for p in report.photos.all() if p.published or not report.published],
            },
        ),
        status=StatusForm(bound("status"), prefix="status", initial={"status": report.status}),
        note=NoteForm(bound("note"), prefix="note", initial={"kind": "internal"}),
        assign=AssignForm(
            bound("assign"), prefix="assign", report=report, initial={"assignee": report.assignee_id}
        ),
        forward=ForwardForm(bound("forward"), prefix="forward"),
        merge=MergeForm(bound("merge"), prefix="merge"),
        hide=HideForm(bound("hide"), prefix="hide"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def work(request: HttpRequest, public_id: str) -> HttpResponse:
    report = selectors.report_for_staff(public_id)
    if report is None:
        raise Http404
    user = cast(User, request.user)  # behind login_required: a real account
    if not user.has_perm("servicedesk.work_report", report):
        raise PermissionDenied
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(report, request.POST if action else None, action)
    if action:
        form = getattr(forms, action, None)
        if form is None:
            messages.error(request, _("Unbekannte Aktion."))
        elif form.is_valid():
            try:
                _apply(action, form.cleaned_data, report=report, user=user)
            except DomainError as exc:
                page_error(request, exc, form=form)
            else:
                messages.success(request, _("Gespeichert."))
                if action == "forward" and not user.has_perm("servicedesk.work_report", report):
                    return redirect("servicedesk:queue")
                return redirect("servicedesk:work", public_id=report.service_request_id)
    context = {
        "report": report,
        "forms": forms,
        "photos": list(report.photos.all()),
        "attributes": attribute_rows(report),
        "timeline": report.updates.select_related("author", "organisation").order_by("created_at", "pk"),
        "followers": report.followers.count(),
        **map_context(points=[report]),
    }
    return render(request, "servicedesk/staff_work.html", context, status=400 if action else 200)


def _apply(action: str, data: dict[str, Any], *, report: Report, user: User) -> None:
    if action == "publish":
        services.report_publish(
            report=report,
            by=user,
            description=data["description"],
            photo_ids=[int(p) for p in data["photos"]],
        )
    elif action == "hide":
        services.report_hide(report=report, by=user, reason=data["reason"])
    elif action == "status":
        services.report_set_status(
            report=report,
            by=user,
            status=data["status"],
            close_reason=data.get("close_reason") or "",
            note=data["note"],
        )
    elif action == "note":
        services.report_add_note(report=report, by=user, text=data["text"], kind=data["kind"])
    elif action == "assign":
        services.report_assign(report=report, by=user, assignee=data.get("assignee"))
    elif action == "forward":
        organisation: Organisation = data["organisation"]
        services.report_forward(report=report, by=user, organisation=organisation, note=data.get("note", ""))
    elif action == "merge":
        services.report_merge(report=report, into=data["into"], by=user)


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Any photo of a report, checked or not, for staff who may work that report."""
    item = selectors.report_photo(pk, published_only=False)
    if item is None:
        raise Http404
    user = cast(User, request.user)  # behind login_required: a real account
    if not user.has_perm("servicedesk.work_report", item.report):
        raise Http404
    with item.image.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
