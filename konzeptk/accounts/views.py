"""Pages of the own account: profile, consents, data export, deletion, organisation members."""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from konzeptk.accounts import invitations, selectors, services
from konzeptk.accounts.export_archive import write_export_archive
from konzeptk.accounts.forms import DeleteAccountForm, DisplayNameForm, MembershipAddForm, MembershipRoleForm
from konzeptk.accounts.models import Consent, Membership, Organisation, User
from konzeptk.core.ratelimits import limit

#: exports up to this size stay in memory, bigger ones (many photos) go to a temporary file
EXPORT_SPOOL_BYTES = 8 * 1024 * 1024


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = DisplayNameForm(request.POST)
        if form.is_valid():
            services.user_update_profile(user=user, display_name=form.cleaned_data["display_name"])
            messages.success(request, _("Ihr Anzeigename ist gespeichert."))
            return redirect("accounts:profile")
    else:
        form = DisplayNameForm(initial={"display_name": user.display_name})
    context = {
        "form": form,
        "memberships": selectors.memberships_for_profile(user),
        "consents": selectors.consents_for_profile(user),
        "givable": selectors.givable_purposes(user),
    }
    return render(request, "accounts/profile.html", context)


def _purpose(purpose: str) -> str:
    if purpose not in Consent.Purpose.values:
        raise Http404
    return purpose


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, purpose: str) -> HttpResponse:
    label = Consent.Purpose(_purpose(purpose)).label
    if services.consent_withdraw(user=_user(request), purpose=purpose) is None:
        messages.info(request, _("Diese Einwilligung war bereits widerrufen."))
    else:
        messages.success(
            request, _("Sie haben die Einwilligung „%(purpose)s“ widerrufen.") % {"purpose": label}
        )
    return redirect("accounts:profile")


@login_required
@require_POST
def consent_give(request: HttpRequest, purpose: str) -> HttpResponse:
    if _purpose(purpose) not in selectors.PROFILE_GIVABLE_PURPOSES:
        raise Http404
    services.consent_give(user=_user(request), purpose=purpose)
    label = Consent.Purpose(purpose).label
    messages.success(request, _("Sie haben die Einwilligung „%(purpose)s“ erteilt.") % {"purpose": label})
    return redirect("accounts:profile")


@login_required
@require_GET
@never_cache
def export(request: HttpRequest) -> FileResponse:
    """Everything stored about the person as a ZIP: daten.json, daten.html and their images."""
    # closed by the response once it is sent
    out = tempfile.SpooledTemporaryFile(max_size=EXPORT_SPOOL_BYTES)  # noqa: SIM115
    write_export_archive(_user(request), out)
    out.seek(0)
    filename = f"konzeptk-meine-daten-{timezone.localdate().isoformat()}.zip"
    return FileResponse(out, as_attachment=True, filename=filename, content_type="application/zip")


@login_required
@never_cache
def delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, user=user)
        if form.is_valid():
            services.user_erase(user=user)
            logout(request)
            messages.success(
                request, _("Ihr Konto ist gelöscht. Ihre Beiträge bleiben ohne Ihren Namen erhalten.")
            )
            return redirect("core:home")
    else:
        form = DeleteAccountForm(user=user)
    return render(request, "accounts/delete.html", {"form": form})


# --- Organisations ------------------------------------------------------------------------------
@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request, "accounts/organisations.html", {"organisations": selectors.organisations_visible_to(user)}
    )


def _organisation_for(request: HttpRequest, slug: str, perm: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm(perm, organisation):
        raise PermissionDenied
    return organisation


def _render_organisation(
    request: HttpRequest,
    organisation: Organisation,
    add_form: MembershipAddForm | None = None,
    row_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = request.user.has_perm("accounts.manage_members", organisation)
    members = list(selectors.organisation_members(organisation))
    for member in members:
        member.row_errors = (row_errors or {}).get(member.pk, [])  # type: ignore[attr-defined]
    context = {
        "organisation": organisation,
        "members": members,
        "can_manage": can_manage,
        "add_form": add_form or MembershipAddForm(),
        "roles": Membership.Role.choices,
        "invitations": selectors.open_invitations(organisation) if can_manage else [],
    }
    return render(request, "accounts/organisation.html", context, status=status)


@login_required
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_organisation(request, _organisation_for(request, slug, "accounts.view_members"))


@login_required
@require_POST
@limit("invitation")
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite a person by e-mail; the answer is the same whether or not the address has an account."""
    organisation = _organisation_for(request, slug, "accounts.manage_members")
    form = MembershipAddForm(request.POST)
    if form.is_valid():
        try:
            invitation = invitations.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _(
                    "Wir haben eine Einladung an %(email)s geschickt, falls an diese Adresse in der letzten Stunde "
                    "noch keine ging. Die Person wird Mitglied, sobald sie die Einladung annimmt."
                )
                % {"email": invitation.email},
            )
            return redirect("accounts:organisation", slug=organisation.slug)
    return _render_organisation(request, organisation, add_form=form, status=400)


def _membership(organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(selectors.memberships_of(organisation), pk=pk)


@login_required
@require_POST
def membership_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, slug, "accounts.manage_members")
    membership = _membership(organisation, pk)
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for e in form.errors.get("role", [])]
        return _render_organisation(request, organisation, row_errors={membership.pk: errors}, status=400)
    try:
        services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.user
        )
    except ValidationError as error:
        return _render_organisation(
            request, organisation, row_errors={membership.pk: error.messages}, status=400
        )
    messages.success(
        request, _("Die Rolle von %(name)s ist geändert.") % {"name": membership.user.public_name}
    )
    return redirect("accounts:organisation", slug=organisation.slug)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, slug, "accounts.manage_members")
    membership = _membership(organisation, pk)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        return _render_organisation(
            request, organisation, row_errors={membership.pk: error.messages}, status=400
        )
    messages.success(
        request, _("%(name)s gehört nicht mehr zur Organisation.") % {"name": membership.user.public_name}
    )
    return redirect("accounts:organisation", slug=organisation.slug)
