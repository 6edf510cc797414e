"""Writes about people, their consents and their memberships. Views and commands call these."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konzeptk.accounts import erasure_registry as erasure
from konzeptk.accounts.models import Consent, Membership, Organisation, User
from konzeptk.accounts.rules import forget_memberships


# --- Profile and consent ----------------------------------------------------------------------
@transaction.atomic
def user_update_profile(*, user: User, display_name: str) -> User:
    user.display_name = display_name.strip()
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["display_name"])
    return user


@transaction.atomic
def consent_give(*, user: User, purpose: str, text_version: str = "1") -> Consent:
    """Record a consent. Giving again after a withdrawal makes a new record; an active one is kept."""
    if purpose not in Consent.Purpose.values:
        raise ValidationError(_("Diese Einwilligung gibt es nicht."), code="unknown_purpose")
    active = Consent.objects.select_for_update().filter(user=user, purpose=purpose).active().first()
    if active is not None:
        return active
    return Consent.objects.create(user=user, purpose=purpose, text_version=text_version)


@transaction.atomic
def consent_withdraw(*, user: User, purpose: str) -> Consent | None:
    """Mark the active consent for ``purpose`` as withdrawn now. Returns it, or None if none was active."""
    active = Consent.objects.select_for_update().filter(user=user, purpose=purpose).active().first()
    if active is None:
        return None
    active.withdrawn_at = timezone.now()
    active.save(update_fields=["withdrawn_at"])
    return active


# --- Erasure --------------------------------------------------------------------------------
def placeholder_email(user: User) -> str:
    return f"deleted-{user.pk}@invalid"


@transaction.atomic
def user_erase(*, user: User) -> User:
    """Anonymise a person (DSGVO Art. 17) while their contributions stay.

    First every app's registered eraser runs (``konzeptk.accounts.erasure_registry``) so contributions lose
    what identifies the person; then the account itself is emptied: placeholder e-mail address,
    no display name, unusable password, inactive, no roles. E-mail addresses, consent records and
    memberships are deleted: once the account is anonymised nothing is processed on the basis of
    those consents any more, so there is nothing left to prove and no reason to keep them.
    All of it happens in one transaction: either the person is fully anonymised or nothing changed.
    """
    from allauth.account.models import EmailAddress

    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    erasure.run_erasers(user)
    EmailAddress.objects.filter(user=user).delete()
    Consent.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = placeholder_email(user)
    user.display_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.platform_role = User.PlatformRole.RESIDENT
    user.last_login = None
    user.anonymised_at = timezone.now()
    user.save()
    forget_memberships(user)
    return user


# --- Memberships ------------------------------------------------------------------------------
def _is_last_admin(membership: Membership) -> bool:
    if membership.role != Membership.Role.ADMIN:
        return False
    others = Membership.objects.filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
    return not others.exclude(pk=membership.pk).exists()


@transaction.atomic
def membership_add(*, organisation: Organisation, email: str, role: str, actor: Any = None) -> Membership:
    """Add an existing, active person (found by e-mail address) to ``organisation``."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Bitte wählen Sie eine gültige Rolle.")})
    person = (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True, anonymised_at__isnull=True)
        .first()
    )
    if person is None:
        raise ValidationError(
            {
                "email": _(
                    "Es gibt kein aktives Konto mit dieser E-Mail-Adresse. Die Person muss sich zuerst registrieren."
                )
            }
        )
    if Membership.objects.filter(user=person, organisation=organisation).exists():
        raise ValidationError({"email": _("Diese Person ist bereits Mitglied der Organisation.")})
    membership = Membership.objects.create(user=person, organisation=organisation, role=role)
    forget_memberships(person, actor)
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: Any = None) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Bitte wählen Sie eine gültige Rolle.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role != Membership.Role.ADMIN and _is_last_admin(membership):
        raise ValidationError(
            {
                "role": _(
                    "Die Organisation braucht mindestens eine Administrator:in. Ernennen Sie zuerst eine andere Person."
                )
            }
        )
    membership.role = role
    membership.save(update_fields=["role"])
    forget_memberships(membership.user, actor)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: Any = None) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if _is_last_admin(membership):
        raise ValidationError(
            _(
                "Die letzte Administrator:in kann nicht entfernt werden. Ernennen Sie zuerst eine andere Person."
            )
        )
    membership.delete()
    forget_memberships(membership.user, actor)
