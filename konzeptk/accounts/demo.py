"""The demo accounts: they exist only in demo mode, and production refuses them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from django.contrib.auth.hashers import check_password

if TYPE_CHECKING:
    from konzeptk.accounts.models import User


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    platform_role: str
    organisation: str | None = None
    role: str | None = None


DEMO_PASSWORD = "konzeptk-demo"

DEMO_ACCOUNTS = [
    DemoAccount("admin@demo.konzeptk.invalid", "Demo-Administration", "administrator"),
    DemoAccount(
        "kernteam@demo.konzeptk.invalid", "Smart-City-Kernteam", "staff", "krefeld-business", "admin"
    ),
    DemoAccount("redaktion.swk@demo.konzeptk.invalid", "Redaktion SWK", "staff", "swk", "editor"),
    DemoAccount(
        "moderation@demo.konzeptk.invalid", "Moderation Stadt", "staff", "stadt-krefeld-wdi", "moderator"
    ),
    DemoAccount("einwohnerin@demo.konzeptk.invalid", "Aylin aus Uerdingen", "resident"),
]


def demo_accounts_with_known_password() -> list[str]:
    from konzeptk.accounts.models import User

    emails = [account.email for account in DEMO_ACCOUNTS]
    return [
        user.email
        for user in User.objects.filter(email__in=emails, is_active=True).only("email", "password")
        if check_password(DEMO_PASSWORD, user.password)
    ]


DEMO_ORGANISATIONS = [
    # slug, name, short name, kind, core team
    (
        "stadt-krefeld-wdi",
        "Stadt Krefeld – Dezernat Wirtschaft, Digitalisierung und Internationales",
        "Stadt Krefeld (WDI)",
        "city",
        True,
    ),
    (
        "krefeld-business",
        "KREFELD.BUSINESS (Wirtschaftsförderungsgesellschaft Krefeld)",
        "KREFELD.BUSINESS",
        "company",
        True,
    ),
    ("swk", "Stadtwerke Krefeld AG (SWK)", "SWK", "company", False),
    ("vhs-krefeld", "VHS Krefeld/Neukirchen-Vluyn", "VHS", "education", False),
    ("mediothek", "Mediothek Krefeld", "Mediothek", "education", False),
    ("hochschule-niederrhein", "Hochschule Niederrhein", "HSNR", "education", False),
    ("kommunalbetrieb", "Kommunalbetrieb Krefeld AöR", "KBK", "city", False),
    ("ihk-niederrhein", "IHK Mittlerer Niederrhein", "IHK", "business", False),
]


def load_demo(*, out: TextIO) -> None:
    """Organisations of the real Krefeld actors and the demo accounts (idempotent)."""
    from konzeptk.accounts.models import Consent, Membership, Organisation, User
    from konzeptk.accounts.services import consent_give

    orgs = {}
    for slug, name, short, kind, core in DEMO_ORGANISATIONS:
        orgs[slug], _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "short_name": short, "kind": kind, "is_core_team": core}
        )
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = User.objects.create_user(email=account.email, password=DEMO_PASSWORD)
        user.display_name = account.display_name
        user.platform_role = account.platform_role
        user.is_demo = True
        user.is_staff = account.platform_role in ("staff", "administrator")
        user.is_superuser = account.platform_role == "administrator"
        user.save()
        _verify_email(user)
        consent_give(user=user, purpose=Consent.Purpose.TERMS)
        if account.organisation:
            Membership.objects.update_or_create(
                user=user,
                organisation=orgs[account.organisation],
                defaults={"role": account.role or "member"},
            )


def _verify_email(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
