"""Pages of owners and agents: register as one, offer units, edit them, add and remove photos.

Every page needs an account; nothing here takes an anonymous POST.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konzeptk.accounts.models import User
from konzeptk.core.errors import DomainError, page_error
from konzeptk.innercity import selectors, services
from konzeptk.innercity.forms import OwnerForm, PhotoForm, StaffUnitForm, UnitForm
from konzeptk.innercity.models import Unit


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # behind login_required: a real account


def _unit_for_edit(request: HttpRequest, pk: int) -> Unit:
    unit = selectors.unit_by_pk(pk)
    if unit is None:
        raise Http404
    if not request.user.has_perm("innercity.edit_unit", unit):
        raise PermissionDenied
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def owner_register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    owner = selectors.owner_of(user)
    form = OwnerForm(request.POST or None, instance=owner)
    if request.method == "POST" and form.is_valid():
        services.owner_register(user=user, **form.cleaned_data)
        messages.success(
            request,
            _(
                "Danke! Sie können jetzt Ladenlokale eintragen. Öffentlich sichtbar werden sie, "
                "sobald die Innenstadtkoordination Ihre Angaben geprüft hat."
            ),
        )
        return redirect("innercity:my_units")
    return render(request, "innercity/owner_register.html", {"form": form, "owner": owner})


@login_required
@require_GET
def my_units(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    owner = selectors.owner_of(user)
    if owner is None:
        return redirect("innercity:owner_register")
    return render(
        request, "innercity/my_units.html", {"owner": owner, "units": list(selectors.units_of(user))}
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.has_perm("innercity.offer_units"):
        return redirect("innercity:owner_register")
    form = UnitForm(request.POST or None, initial={"owner_consent_public": True})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            uses = data.pop("uses", [])
            try:
                unit = services.unit_create(values=data, uses=uses, owner=user)
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(request, _("Das Ladenlokal ist eingetragen. Fügen Sie jetzt Fotos hinzu."))
                return redirect("innercity:unit_photos", pk=unit.pk)
        else:
            status = 400
    return render(request, "innercity/unit_form.html", {"form": form, "unit": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_for_edit(request, pk)
    staff = request.user.has_perm("innercity.coordinate")
    form_class = StaffUnitForm if staff else UnitForm
    form = form_class(request.POST or None, instance=unit)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            uses = data.pop("uses", [])
            try:
                services.unit_update(unit=unit, values=data, uses=uses, by_staff=staff)
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(request, _("Die Änderungen sind gespeichert."))
                return redirect("innercity:staff_register" if staff else "innercity:my_units")
        else:
            status = 400
    return render(request, "innercity/unit_form.html", {"form": form, "unit": unit}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def unit_photos(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_for_edit(request, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.unit_photo_add(
                    unit=unit, upload=form.cleaned_data["photo"], alt_text=form.cleaned_data["alt_text"]
                )
            except DomainError as error:
                status = page_error(request, error, form=form)
            else:
                messages.success(request, _("Das Foto ist gespeichert."))
                return redirect("innercity:unit_photos", pk=unit.pk)
        else:
            status = 400
    return render(
        request,
        "innercity/unit_photos.html",
        {"unit": unit, "form": form, "photos": list(unit.photos.all())},
        status=status,
    )


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.photo_by_pk(pk)
    if item is None:
        raise Http404
    if not request.user.has_perm("innercity.edit_unit", item.unit):
        raise PermissionDenied
    unit_pk = item.unit_id
    services.unit_photo_delete(photo=item)
    messages.success(request, _("Das Foto ist gelöscht."))
    return redirect("innercity:unit_photos", pk=unit_pk)
