"""Pages of the inner-city coordination under /innenstadt/verwaltung/: the register of all units,
units no owner offered, the owners' verification and the vacancy counts."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.innercity import selectors, services
from konzeptk.innercity.forms import CountForm, RegisterFilterForm, StaffUnitForm

REGISTER_PAGE_SIZE = 50
OWNERS_PAGE_SIZE = 50


def _coordination_only(request: HttpRequest) -> None:
    if not request.user.has_perm("innercity.coordinate"):
        raise PermissionDenied


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    _coordination_only(request)
    form = RegisterFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    units = selectors.register_units(status=data.get("status") or "", street=data.get("street") or "")
    page = Paginator(units, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: str(v) for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "innercity/staff_register.html",
        {"form": form, "page": page, "units": list(page.object_list), "query": urlencode(query)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest) -> HttpResponse:
    _coordination_only(request)
    form = StaffUnitForm(request.POST or None, initial={"owner_consent_public": False})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            uses = data.pop("uses", [])
            try:
                services.unit_create(values=data, uses=uses, by_staff=True)
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(request, _("Das Ladenlokal ist im Register eingetragen."))
                return redirect("innercity:staff_register")
        else:
            status = 400
    return render(
        request, "innercity/unit_form.html", {"form": form, "unit": None, "staff": True}, status=status
    )


@login_required
@require_GET
def owners(request: HttpRequest) -> HttpResponse:
    _coordination_only(request)
    page = Paginator(selectors.owners_for_review(), OWNERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "innercity/staff_owners.html", {"page": page, "owners": list(page.object_list)})


@login_required
@require_POST
def owner_verify(request: HttpRequest, pk: int) -> HttpResponse:
    _coordination_only(request)
    owner = selectors.owner_by_pk(pk)
    if owner is None:
        raise Http404
    if request.POST.get("action") == "revoke":
        services.owner_unverify(owner=owner)
        messages.success(
            request, _("Die Prüfung ist zurückgenommen; die Ladenlokale sind nicht mehr öffentlich.")
        )
    else:
        services.owner_verify(owner=owner, by=cast(User, request.user))
        messages.success(
            request, _("Die Angaben sind geprüft; freigegebene Ladenlokale sind jetzt öffentlich.")
        )
    return redirect("innercity:staff_owners")


@login_required
@require_http_methods(["GET", "POST"])
def counts(request: HttpRequest) -> HttpResponse:
    _coordination_only(request)
    form = CountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                count = services.vacancy_count_take(
                    on=form.cleaned_data.get("count_date"), by=cast(User, request.user)
                )
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(
                    request,
                    _(
                        "Die Zählung zum %(date)s ist gespeichert: %(vacant)d von %(units)d Ladenlokalen stehen leer."
                    )
                    % {
                        "date": formats.date_format(count.count_date, "SHORT_DATE_FORMAT"),
                        "vacant": count.vacant,
                        "units": count.units,
                    },
                )
                return redirect("innercity:staff_counts")
        else:
            status = 400
    return render(
        request,
        "innercity/staff_counts.html",
        {"form": form, "history": selectors.count_history()[::-1]},
        status=status,
    )
