"""The accounts app's own sections of the personal-data export."""

from __future__ import annotations

from typing import Any

from konzeptk.accounts.export import register_export_section


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


register_export_section("accounts.account", account_section)
register_export_section("accounts.email_addresses", email_addresses_section)
register_export_section("accounts.memberships", memberships_section)
register_export_section("accounts.consents", consents_section)
