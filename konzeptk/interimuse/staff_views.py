"""Staff pages of the interim-use programme under ``verwaltung/``: calls, jury results, matching,
decisions, contracts and overdue reports. Only the inner-city coordination (``interimuse.manage``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.innercity.selectors import units_for_matching
from konzeptk.interimuse import selectors, services
from konzeptk.interimuse.forms import (
    AdvanceForm,
    CallForm,
    ContractForm,
    CriterionForm,
    DecisionForm,
    JurorForm,
)
from konzeptk.interimuse.models import Application, Call
from konzeptk.interimuse.reasons import describe

PAGE_SIZE = 25
View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    """Only the coordination; stands under ``@login_required`` (anonymous people sign in first)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.has_perm("interimuse.manage"):
            raise PermissionDenied(_("Diese Seite ist der Innenstadtkoordination vorbehalten."))
        return view(request, *args, **kwargs)

    return wrapped


def _call(slug: str) -> Call:
    the_call = selectors.call_by_slug(slug, staff=True)
    if the_call is None:
        raise Http404(_("Diesen Aufruf gibt es nicht."))
    return the_call


@login_required
@staff_only
@require_GET
def staff_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.calls_all(), PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = selectors.overdue_reports(timezone.localdate()).count()
    return render(request, "interimuse/staff_index.html", {"page": page, "overdue": overdue})


@login_required
@staff_only
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    units = units_for_matching()
    form = CallForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                the_call = services.call_create(**form.cleaned_data)
            except DomainError as exc:
                status = page_error(request, exc, form=form)
            else:
                messages.success(
                    request, _("Der Aufruf ist als Entwurf angelegt. Nennen Sie nun die Kriterien.")
                )
                return redirect("interimuse:staff_call", slug=the_call.slug)
        else:
            status = 400
    return render(request, "interimuse/staff_call_new.html", {"form": form}, status=status)


@login_required
@staff_only
@require_http_methods(["GET", "POST"])
def staff_call(request: HttpRequest, slug: str) -> HttpResponse:
    """A call: criteria, jury, the next step, and its applications with the jury's results."""
    the_call = _call(slug)
    criterion_form, juror_form = CriterionForm(), JurorForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "criterion":
                criterion_form = CriterionForm(request.POST)
                if criterion_form.is_valid():
                    services.criterion_add(call=the_call, **criterion_form.cleaned_data)
                    messages.success(request, _("Das Kriterium ist hinzugefügt."))
                    return redirect("interimuse:staff_call", slug=slug)
                status = 400
            elif action == "juror":
                juror_form = JurorForm(request.POST)
                if juror_form.is_valid():
                    user = selectors.user_by_email(juror_form.cleaned_data["email"])
                    if user is None:
                        juror_form.add_error("email", _("Zu dieser Adresse gibt es kein Konto."))
                        status = 400
                    else:
                        services.juror_add(call=the_call, user=user)
                        messages.success(request, _("Das Jurymitglied ist hinzugefügt."))
                        return redirect("interimuse:staff_call", slug=slug)
                else:
                    status = 400
            elif action == "advance":
                form = AdvanceForm(request.POST)
                if form.is_valid():
                    services.call_advance(call=the_call, to=form.cleaned_data["to"])
                    messages.success(request, _("Der Aufruf ist einen Schritt weiter."))
                    return redirect("interimuse:staff_call", slug=slug)
                status = 400
            else:
                status = 400
                messages.error(request, _("Unbekannte Aktion."))
        except DomainError as exc:
            status = page_error(request, exc, form=criterion_form if action == "criterion" else None)
    next_status = services.TRANSITIONS.get(Call.Status(the_call.status))
    page = Paginator(selectors.call_applications(the_call), PAGE_SIZE).get_page(request.GET.get("page"))
    results = selectors.jury_results(the_call, [a.pk for a in page.object_list])
    return render(
        request,
        "interimuse/staff_call.html",
        {
            "call": the_call,
            "criteria": selectors.call_criteria(the_call),
            "jurors": selectors.call_jurors(the_call),
            "next_status": next_status,
            "next_label": Call.Status(next_status).label if next_status else "",
            "page": page,
            "rows": [(a, results[a.pk]) for a in page.object_list],
            "criterion_form": criterion_form,
            "juror_form": juror_form,
        },
        status=status,
    )


@login_required
@staff_only
@require_GET
def staff_matching(request: HttpRequest, slug: str) -> HttpResponse:
    """Matching for a whole call: per application its best units, per unit its best applications."""
    the_call = _call(slug)
    table = selectors.call_matching(the_call, limit=3)
    page = Paginator(list(table.by_need.items()), PAGE_SIZE).get_page(request.GET.get("page"))
    unit_lists = list(table.by_unit.items())[:100]
    unit_ids = {m.other_id for _nid, ms in page.object_list for m in ms} | {uid for uid, _ms in unit_lists}
    app_ids = {nid for nid, _ms in page.object_list} | {m.other_id for _uid, ms in unit_lists for m in ms}
    units = selectors.units_by_pk(unit_ids)
    applications = selectors.applications_by_pk(app_ids)
    app_rows = [
        (applications[nid], [(m, units[m.other_id], describe(m)) for m in matches])
        for nid, matches in page.object_list
    ]
    unit_rows = [
        (units[uid], [(m, applications[m.other_id]) for m in matches]) for uid, matches in unit_lists
    ]
    return render(
        request,
        "interimuse/staff_matching.html",
        {"call": the_call, "page": page, "app_rows": app_rows, "unit_rows": unit_rows},
    )


@login_required
@staff_only
@require_GET
def staff_unit(request: HttpRequest, slug: str, unit_pk: int) -> HttpResponse:
    """The applications of a call ranked for one unit, with the reasons."""
    the_call = _call(slug)
    unit = selectors.unit_by_pk(unit_pk)
    if unit is None:
        raise Http404(_("Dieses Ladenlokal gibt es nicht."))
    rows = [(m, a, describe(m)) for m, a in selectors.applications_for_unit(the_call, unit, limit=20)]
    return render(request, "interimuse/staff_unit.html", {"call": the_call, "unit": unit, "rows": rows})


@login_required
@staff_only
@require_http_methods(["GET", "POST"])
def staff_application(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: jury scores and conflicts, matching units, the decision and the contract."""
    application = selectors.application_by_pk(pk)
    if application is None:
        raise Http404(_("Diese Bewerbung gibt es nicht."))
    by = cast(User, request.user)
    units = selectors.candidate_units(application.call)
    decision_form = DecisionForm()
    contract_form = ContractForm(
        units=units,
        initial={
            "unit": application.unit_id,
            "rent": application.unit.rent_per_month if application.unit else None,
            "starts_on": timezone.localdate(),
        },
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "decide":
                decision_form = DecisionForm(request.POST)
                if decision_form.is_valid():
                    services.application_decide(
                        application=application,
                        by=by,
                        accept=decision_form.cleaned_data["decision"] == "accept",
                        reason=decision_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Die Entscheidung ist gespeichert und mitgeteilt."))
                    return redirect("interimuse:staff_application", pk=pk)
                status = 400
            elif action == "contract":
                contract_form = ContractForm(request.POST, units=units)
                if contract_form.is_valid():
                    services.contract_create(application=application, by=by, **contract_form.cleaned_data)
                    messages.success(request, _("Der Vertrag ist angelegt."))
                    return redirect("interimuse:staff_application", pk=pk)
                status = 400
            else:
                status = 400
                messages.error(request, _("Unbekannte Aktion."))
        except DomainError as exc:
            status = page_error(request, exc, form=decision_form if action == "decide" else contract_form)
    contract = getattr(application, "contract", None)
    matches = []
    if application.status in (Application.Status.SUBMITTED, Application.Status.ACCEPTED) and contract is None:
        matches = [
            (m, unit, describe(m)) for m, unit in selectors.units_for_application(application, limit=5)
        ]
    return render(
        request,
        "interimuse/staff_application.html",
        {
            "application": application,
            "call": application.call,
            "result": selectors.jury_results(application.call, [application.pk])[application.pk],
            "scores": selectors.jury_scores_of(application),
            "conflicts": selectors.conflicts_of(application),
            "matches": matches,
            "contract": contract,
            "reports": selectors.contract_reports(contract) if contract else [],
            "decision_form": decision_form,
            "contract_form": contract_form,
        },
        status=status,
    )


@login_required
@staff_only
@require_GET
def staff_reports(request: HttpRequest) -> HttpResponse:
    """Overdue reports (due before today, not sent), oldest first; and the latest received."""
    today = timezone.localdate()
    page = Paginator(selectors.overdue_reports(today), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "interimuse/staff_reports.html",
        {"page": page, "today": today, "recent": selectors.recent_reports()},
    )
