"""The invitation page (accept with a button) and withdrawing an open invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from konzeptk.accounts import invitations
from konzeptk.accounts.models import Invitation, Organisation
from konzeptk.core.errors import error_response


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows whom the invitation is from and a button; only the POST creates the membership."""
    found = invitations.invitation_open(token=token)
    if found is None:
        return error_response(
            request,
            status=404,
            code="invitation_gone",
            title=_("Diese Einladung gilt nicht mehr"),
            message=_(
                "Die Einladung ist abgelaufen, wurde zurückgezogen oder schon angenommen. "
                "Bitten Sie die Organisation bei Bedarf um eine neue Einladung."
            ),
        )
    if request.method == "POST":
        try:
            membership = invitations.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("accounts:invitation", token=token)
        messages.success(
            request,
            _("Sie sind jetzt %(role)s in %(name)s.")
            % {"role": membership.get_role_display(), "name": membership.organisation.name},
        )
        return redirect("accounts:organisation", slug=membership.organisation.slug)
    context = {
        "invitation": found,
        "may_accept": invitations.may_accept(invitation=found, user=request.user),
    }
    return render(request, "accounts/invitation.html", context)


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("accounts.manage_members", organisation):
        raise PermissionDenied
    found = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    invitations.invitation_withdraw(invitation=found)
    messages.success(request, _("Die Einladung an %(email)s ist zurückgezogen.") % {"email": found.email})
    return redirect("accounts:organisation", slug=organisation.slug)
