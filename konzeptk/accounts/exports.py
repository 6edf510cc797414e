"""The accounts app's own sections of the personal-data export, and Django's own models."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import declare_no_personal_data, register_export_section


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def account_section(user: Any) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "platform_role": user.platform_role,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_active": user.is_active,
        "has_password": user.has_usable_password(),
        "password_note": "Passwörter werden nur als nicht umkehrbarer Hash gespeichert und nicht exportiert.",
    }


def email_addresses_section(user: Any) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("pk")
    ]


def memberships_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "organisation": membership.organisation.slug,
            "organisation_name": membership.organisation.name,
            "role": membership.role,
            "since": _iso(membership.created_at),
        }
        for membership in user.memberships.select_related("organisation").order_by("pk")
    ]


def consents_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "purpose": consent.purpose,
            "purpose_text": str(consent.get_purpose_display()),
            "text_version": consent.text_version,
            "given_at": _iso(consent.given_at),
            "withdrawn_at": _iso(consent.withdrawn_at),
        }
        for consent in user.consents.order_by("given_at", "pk")
    ]


def admin_log_section(user: Any) -> list[dict[str, Any]]:
    """What the person changed in the administration (staff only; usually empty)."""
    from django.contrib.admin.models import LogEntry

    return [
        {
            "at": _iso(at),
            "object_type": f"{app_label}.{model}" if app_label else None,
            "object_id": object_id,
            "object": object_repr,
            "action": {1: "added", 2: "changed", 3: "deleted"}.get(flag, str(flag)),
        }
        for at, app_label, model, object_id, object_repr, flag in LogEntry.objects.filter(user=user)
        .order_by("action_time", "pk")
        .values_list(
            "action_time",
            "content_type__app_label",
            "content_type__model",
            "object_id",
            "object_repr",
            "action_flag",
        )
    ]


_ACCOUNT_RETENTION = _("bis Sie Ihr Konto löschen")

register_export_section(
    "accounts.account",
    account_section,
    models=["accounts.User"],
    title=_("Ihr Konto"),
    purpose=_("Anmeldung und Zuordnung Ihrer Beiträge zu Ihrem Konto."),
    retention=_ACCOUNT_RETENTION,
    recipients=_("niemand; Ihr Anzeigename erscheint öffentlich bei Ihren Beiträgen"),
)
register_export_section(
    "accounts.email_addresses",
    email_addresses_section,
    models=["account.EmailAddress"],
    title=_("E-Mail-Adressen"),
    purpose=_("Anmeldung, Zurücksetzen des Passworts und Benachrichtigungen, die Sie gewählt haben."),
    retention=_ACCOUNT_RETENTION,
    recipients=_("niemand; Ihre Adresse wird nirgends öffentlich gezeigt"),
)
register_export_section(
    "accounts.memberships",
    memberships_section,
    models=["accounts.Membership"],
    title=_("Mitgliedschaften in Organisationen"),
    purpose=_("Rechte zum Bearbeiten von Inhalten Ihrer Organisation."),
    retention=_("bis die Mitgliedschaft endet oder Sie Ihr Konto löschen"),
    recipients=_("die Administrator:innen Ihrer Organisation"),
)
register_export_section(
    "accounts.consents",
    consents_section,
    models=["accounts.Consent"],
    title=_("Einwilligungen"),
    purpose=_("Nachweis, wozu Sie eingewilligt und was Sie widerrufen haben (Art. 7 Abs. 1 DSGVO)."),
    retention=_ACCOUNT_RETENTION,
    recipients=_("niemand"),
)
register_export_section(
    "accounts.admin_log",
    admin_log_section,
    models=["admin.LogEntry"],
    title=_("Änderungen in der Verwaltungsoberfläche"),
    purpose=_("Nachvollziehbarkeit von Änderungen durch Mitarbeiter:innen."),
    retention=_("unbefristet als Protokoll der Plattform; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("die Administrator:innen der Plattform"),
)

declare_no_personal_data(
    "auth.Permission",
    "auth.Group",
    "contenttypes.ContentType",
    reason="Django's tables of permissions, groups and model types: names chosen by the platform. "
    "Which groups a person belongs to is part of the account and cleared by user_erase.",
)
declare_no_personal_data(
    "sessions.Session",
    reason="A session holds only the account number and a hash of the password; erasure makes the "
    "password unusable, so every session of the person stops authenticating, and expired sessions "
    "are removed by clearsessions.",
)
declare_no_personal_data(
    "accounts.Organisation",
    reason="Organisations (city departments, companies, associations) are no natural persons; who "
    "is a member is stored in Membership.",
)


def invitations_section(user: Any) -> list[dict[str, Any]]:
    """Invitations into organisations sent to the person's addresses, and those the person sent."""
    from django.db.models import Q

    from konzeptk.accounts.export_registry import email_q, verified_emails
    from konzeptk.accounts.models import Invitation

    mine = Q(invited_by=user) | Q(accepted_by=user)
    addresses = verified_emails(user)
    if addresses:
        mine |= email_q("email", addresses)
    return [
        {
            "organisation": invitation.organisation.name,
            "email": invitation.email,
            "role": invitation.role,
            "sent_by_you": invitation.invited_by_id == user.pk,
            "created_at": _iso(invitation.created_at),
            "expires_at": _iso(invitation.expires_at),
            "accepted_at": _iso(invitation.accepted_at),
            "withdrawn_at": _iso(invitation.withdrawn_at),
        }
        for invitation in Invitation.objects.filter(mine).select_related("organisation").order_by("pk")
    ]


register_export_section(
    "accounts.invitations",
    invitations_section,
    models=["accounts.Invitation"],
    title=_("Einladungen in Organisationen"),
    purpose=_("Eine Person wird erst Mitglied einer Organisation, wenn sie die Einladung annimmt."),
    retention=_("bis Sie Ihr Konto löschen"),
    recipients=_("die Administrator:innen der einladenden Organisation"),
)
