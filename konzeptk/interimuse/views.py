"""Public and applicant pages of the interim-use programme. Thin: parse, call, render."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.core.ratelimits import limit, register
from konzeptk.interimuse import selectors, services
from konzeptk.interimuse.forms import ApplicationForm, ReportForm
from konzeptk.interimuse.models import Application
from konzeptk.interimuse.reasons import describe

register("interimuse_apply", "10/h", purpose="Bewerbungen für eine Zwischennutzung")

PAGE_SIZE = 20


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The calls of the programme (open ones first in date order), paginated."""
    page = Paginator(selectors.calls_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interimuse/index.html", {"page": page, "today": timezone.localdate()})


@require_GET
def call(request: HttpRequest, slug: str) -> HttpResponse:
    the_call = selectors.call_by_slug(slug)
    if the_call is None:
        raise Http404(_("Diesen Aufruf gibt es nicht."))
    today = timezone.localdate()
    return render(
        request,
        "interimuse/call.html",
        {
            "call": the_call,
            "criteria": selectors.call_criteria(the_call),
            "facts": list(the_call.facts.all()),
            "units": list(selectors.candidate_units(the_call).select_related("district")[:100]),
            "is_open": the_call.status == the_call.Status.OPEN
            and the_call.opens_on <= today <= the_call.closes_on,
        },
    )


@login_required
@limit("interimuse_apply")
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Apply to an open call with a concept, for one unit (``?unit=``) or in general."""
    the_call = selectors.call_by_slug(slug)
    if the_call is None:
        raise Http404(_("Diesen Aufruf gibt es nicht."))
    user = cast(User, request.user)
    units = selectors.candidate_units(the_call).order_by("street", "house_number", "pk")
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.application_submit(
                    call=the_call,
                    applicant=user,
                    kind=data["kind"],
                    title=data["title"],
                    concept=data["concept"],
                    use=data["use"],
                    unit=data["unit"],
                    area_min=data["area_min"],
                    area_max=data["area_max"],
                    districts=data["districts"],
                    budget=data["budget"],
                    needs_step_free=data["needs_step_free"],
                )
            except DomainError as exc:
                earlier = (
                    selectors.application_in_call(user, the_call) if exc.code == "already_applied" else None
                )
                if earlier is not None:  # a second click or tab: show what the first one stored
                    messages.info(request, exc.message)
                    return redirect("interimuse:mine_detail", pk=earlier.pk)
                status = page_error(request, exc, form=form)
            else:
                messages.success(request, _("Ihre Bewerbung ist eingegangen. Hier sehen Sie ihren Stand."))
                return redirect("interimuse:mine_detail", pk=application.pk)
        else:
            status = 400
    else:
        initial = {}
        unit_id = request.GET.get("unit", "")
        if unit_id.isdigit() and len(unit_id) < 12:
            initial["unit"] = unit_id
        form = ApplicationForm(initial=initial, units=units)
    today = timezone.localdate()
    is_open = the_call.status == the_call.Status.OPEN and the_call.opens_on <= today <= the_call.closes_on
    return render(
        request, "interimuse/apply.html", {"call": the_call, "form": form, "is_open": is_open}, status=status
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The applicant's own applications with their status."""
    user = cast(User, request.user)
    page = Paginator(selectors.applications_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "interimuse/mine.html", {"page": page})


@login_required
@require_GET
def mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: status, decision with reasons, matching units, contract, rent split, reports."""
    user = cast(User, request.user)
    application = selectors.application_of(user, pk)
    if application is None:
        raise Http404(_("Diese Bewerbung gibt es nicht."))
    contract = getattr(application, "contract", None)
    matches = []
    if application.status == Application.Status.SUBMITTED:
        matches = [
            (m, unit, describe(m)) for m, unit in selectors.units_for_application(application, limit=5)
        ]
    return render(
        request,
        "interimuse/mine_detail.html",
        {
            "application": application,
            "contract": contract,
            "reports": selectors.contract_reports(contract) if contract else [],
            "matches": matches,
            "today": timezone.localdate(),
            "report_form": ReportForm(),
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    application = selectors.application_of(user, pk)
    if application is None:
        raise Http404(_("Diese Bewerbung gibt es nicht."))
    try:
        services.application_withdraw(application=application, by=user)
    except DomainError as exc:
        page_error(request, exc)
    else:
        messages.success(request, _("Sie haben Ihre Bewerbung zurückgezogen."))
    return redirect("interimuse:mine_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The tenant writes a due report."""
    user = cast(User, request.user)
    the_report = selectors.report_of(user, pk)
    if the_report is None:
        raise Http404(_("Diesen Bericht gibt es nicht."))
    status = 200
    form = ReportForm(
        request.POST or None, initial={"text": the_report.text, "visitors": the_report.visitors}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_submit(
                    report=the_report,
                    by=user,
                    text=form.cleaned_data["text"],
                    visitors=form.cleaned_data["visitors"],
                )
            except DomainError as exc:
                status = page_error(request, exc, form=form)
            else:
                messages.success(request, _("Danke, Ihr Bericht ist eingegangen."))
                return redirect("interimuse:mine_detail", pk=the_report.contract.application_id)
        else:
            status = 400
    return render(request, "interimuse/report.html", {"report": the_report, "form": form}, status=status)
