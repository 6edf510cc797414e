"""Facilities for heat alerts: the staff list with invitations (``/warnungen/verwaltung/einrichtungen/``),
and the links of the invitation mail (confirm the address, decline)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from konzeptk.core.errors import DomainError, error_response, page_error
from konzeptk.core.ratelimits import limit
from konzeptk.resilience import facilities
from konzeptk.resilience.facility_forms import FacilityConfirmForm, FacilityInviteForm

PAGE_SIZE = 50


def _staff(request: HttpRequest) -> None:
    if not request.user.has_perm("resilience.manage_alerts"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def facility_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    status = 200
    form = FacilityInviteForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                facility = facilities.facility_invite(
                    email=data["email"], point=data["point"], kind=data["kind"], name=data["name"],
                    address=data["address"], actor=request.user,  # type: ignore[arg-type]
                )  # fmt: skip
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(request, _("%(name)s ist eingeladen.") % {"name": facility.name})
                return redirect("resilience:facility_list")
        else:
            status = 400
    page = Paginator(facilities.facilities_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "resilience/facility_list.html", {"page": page, "facilities": list(page.object_list), "form": form},
        status=status,
    )  # fmt: skip


@login_required
@require_POST
def facility_resend(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    facility = facilities.facilities_list().filter(pk=pk).first()
    if facility is None:
        raise Http404
    if facilities.facility_invite_again(facility=facility):
        messages.success(request, _("Die Einladung ist noch einmal verschickt."))
    else:
        messages.info(
            request, _("Keine neue Einladung: schon bestätigt, oder die letzte ist keine Stunde alt.")
        )
    return redirect("resilience:facility_list")


@limit("warning_link")
@require_http_methods(["GET", "POST"])
def facility_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link: GET shows the address to check, only the POST confirms."""
    facility = facilities.facility_pending(confirm_token=token)
    if facility is None:
        return error_response(
            request,
            status=404,
            code="invalid_link",
            title=_("Der Bestätigungslink ist ungültig oder abgelaufen"),
            message=_("Bitte wenden Sie sich an die Stadt, damit sie Sie noch einmal einlädt."),
        )
    form = FacilityConfirmForm(request.POST or None, initial={"address": facility.address})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            facilities.facility_confirm(confirm_token=token, address=form.cleaned_data["address"])
            messages.success(request, _("Danke! Ihre Einrichtung erhält jetzt die Hitzewarnungen der Stadt."))
            return redirect("resilience:heat_checklist")
        status = 400
    return render(
        request, "resilience/facility_confirm.html", {"facility": facility, "form": form}, status=status
    )


# The List-Unsubscribe link of the invitation (RFC 8058): POST without cookies; the token is the proof.
@csrf_exempt
@limit("warning_link")
@require_http_methods(["GET", "POST"])
def facility_decline(request: HttpRequest, token: str) -> HttpResponse:
    facility = facilities.facility_by_token(token)
    if facility is None:
        raise Http404
    if request.method == "POST":
        facilities.facility_decline(token=token)
        messages.success(request, _("Ihre Einrichtung erhält keine E-Mails mehr."))
        return redirect("resilience:subscribe")
    return render(request, "resilience/facility_decline.html", {"facility": facility})
