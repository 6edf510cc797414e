"""Organisation members are invited and accept; the admin never learns whether an account exists.

``invitation_create`` answers the same for every address and mails a link to that one address (at
most once an hour per organisation and address). The person opens the link, signs in (or registers)
with that address and accepts with a button: only then is the membership created. Invitations
expire after :data:`VALID_DAYS` and can be withdrawn while open.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from konzeptk.accounts.models import Invitation, Membership, Organisation
from konzeptk.accounts.rules import forget_memberships
from konzeptk.core.siteurl import absolute_url

VALID_DAYS = 14
RESEND_AFTER = dt.timedelta(hours=1)


def _absolute(path: str) -> str:
    return absolute_url(path)


def _send(invitation: Invitation) -> None:
    link = _absolute(reverse("accounts:invitation", kwargs={"token": invitation.token}))
    with override(settings.LANGUAGE_CODE):
        subject = _("Einladung in die Organisation %(name)s") % {"name": invitation.organisation.name}
        body = "\n".join(
            [
                _(
                    "Sie sind eingeladen, als %(role)s in der Organisation %(name)s auf Konzept K mitzuarbeiten."
                )
                % {"role": invitation.get_role_display(), "name": invitation.organisation.name},
                "",
                _("Hier können Sie die Einladung ansehen und annehmen (gültig bis %(date)s):")
                % {"date": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y")},
                link,
                "",
                _("Wenn Sie die Einladung nicht erwartet haben, müssen Sie nichts tun."),
            ]
        )
    EmailMessage(subject=subject, body=body, to=[invitation.email]).send(fail_silently=True)


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, role: str, actor: Any) -> Invitation:
    """Invite ``email`` into ``organisation`` as ``role``; the same outcome whoever owns the address."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Bitte wählen Sie eine gültige Rolle.")})
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")}) from exc
    now = timezone.now()
    invitation = (
        Invitation.objects.open()
        .select_for_update()
        .filter(organisation=organisation, email__iexact=email)
        .order_by("-created_at")
        .first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token=secrets.token_urlsafe(32),
            invited_by=actor,
            expires_at=now + dt.timedelta(days=VALID_DAYS),
        )
    else:  # asked again: the newest role counts and the invitation runs from now
        invitation.role = role
        invitation.expires_at = now + dt.timedelta(days=VALID_DAYS)
        invitation.save(update_fields=["role", "expires_at"])
    if invitation.sent_at is None or invitation.sent_at < now - RESEND_AFTER:
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
        transaction.on_commit(lambda: _send(invitation))
    return invitation


def invitation_withdraw(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def invitation_open(*, token: str) -> Invitation | None:
    """The open invitation behind a link, or None (unknown, expired, withdrawn or accepted)."""
    return Invitation.objects.open().select_related("organisation").filter(token=token).first()


def may_accept(*, invitation: Invitation, user: Any) -> bool:
    """Only the owner of the invited address accepts: it must be a verified address of the account."""
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()


@transaction.atomic
def invitation_accept(*, token: str, user: Any) -> Membership:
    invitation = Invitation.objects.open().select_for_update().filter(token=token).first()
    if invitation is None:
        raise ValidationError(_("Diese Einladung ist abgelaufen, zurückgezogen oder schon angenommen."))
    if not may_accept(invitation=invitation, user=user):
        raise ValidationError(
            _(
                "Diese Einladung gilt für %(email)s. Bitte melden Sie sich mit dem Konto dieser bestätigten Adresse an."
            )
            % {"email": invitation.email}
        )
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user, organisation=invitation.organisation, role=invitation.role
                )
        except IntegrityError:  # accepted twice at the same moment
            membership = Membership.objects.get(user=user, organisation=invitation.organisation)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_memberships(user)
    return membership
