"""Staff pages under /klima/verwaltung/: the imports' reports, a year's balance (form or CSV) and the
modal split."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from konzeptk.climate import selectors, services
from konzeptk.climate.forms import BalanceCsvForm, BalanceForm, ModalSplitForm
from konzeptk.core.errors import DomainError, page_error

RUNS_PAGE_SIZE = 25


def _staff_only(request: HttpRequest) -> None:
    if not request.user.has_perm("climate.edit"):
        raise PermissionDenied


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    page = Paginator(selectors.import_runs(), RUNS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "climate/staff_overview.html",
        {
            "page": page,
            "runs": list(page.object_list),
            "rows": selectors.balances(),
            "modal": selectors.modal_split(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def balance_edit(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    status = 200
    if request.method == "POST":
        form = BalanceForm(request.POST)
        if form.is_valid():
            try:
                balance = services.emission_year_save(data=form.balance_data())
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(request, _("Die Bilanz %(year)s ist gespeichert.") % {"year": balance.year})
                return redirect("climate:staff")
        else:
            status = 400
    else:
        form = BalanceForm(initial=_balance_initial(request.GET.get("year", "")))
    return render(request, "climate/staff_balance.html", {"form": form}, status=status)


def _balance_initial(year: str) -> dict[str, object]:
    if not year.isdigit():
        return {}
    row = next((r for r in selectors.balances() if r.year == int(year)), None)
    if row is None:
        return {"year": int(year)}
    return {
        "year": row.year,
        "population": row.population,
        "source": row.source,
        "licence": row.licence,
        "simulated": row.simulated,
        **row.sectors,
    }


@login_required
@require_http_methods(["GET", "POST"])
def balance_csv(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    status = 200
    run = None
    if request.method == "POST":
        form = BalanceCsvForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                run = services.emissions_csv_import(
                    content=upload.read(), filename=upload.name or "upload.csv"
                )
            except DomainError as error:
                status = page_error(request, error, form=form)
        else:
            status = 400
    else:
        form = BalanceCsvForm()
    return render(request, "climate/staff_csv.html", {"form": form, "run": run}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def modal_split_edit(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    status = 200
    if request.method == "POST":
        form = ModalSplitForm(request.POST)
        if form.is_valid():
            try:
                services.modal_split_save(
                    year=form.cleaned_data["year"],
                    shares=form.shares(),
                    source=form.cleaned_data["source"],
                    licence=form.cleaned_data.get("licence") or "",
                    simulated=bool(form.cleaned_data.get("simulated")),
                )
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(request, _("Der Modal Split ist gespeichert."))
                return redirect("climate:staff")
        else:
            status = 400
    else:
        form = ModalSplitForm()
    return render(request, "climate/staff_modal_split.html", {"form": form}, status=status)
