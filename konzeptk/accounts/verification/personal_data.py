"""Export and erasure of residency verification (DSGVO Art. 15, 17, 20); imported by
``AccountsConfig.ready``. Each section and the eraser run a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.erasure_registry import register_eraser
from konzeptk.accounts.export_registry import register_export_section
from konzeptk.accounts.models import CodeLetter, User, Verification

JsonDict = dict[str, object]


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def verification_section(user: User) -> JsonDict:
    verification = Verification.objects.filter(user=user).first()
    letters = CodeLetter.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "postcode": verification.postcode if verification else None,
        "resident_declared_at": _iso(verification.resident_declared_at) if verification else None,
        "verified_at": _iso(verification.verified_at) if verification else None,
        "method": verification.method if verification else None,
        "code_letters": [
            {"created_at": _iso(c), "expires_at": _iso(e), "used_at": _iso(u)}
            for c, e, u in letters.values_list("created_at", "expires_at", "used_at")
        ],
    }


def verification_staff_section(user: User) -> JsonDict:
    """What the person did as staff of a Bürgerbüro: residents confirmed, code letters issued."""
    return {
        "verifications_confirmed": Verification.objects.filter(confirmed_by=user).count(),
        "code_letters_created": CodeLetter.objects.filter(created_by=user).count(),
    }


def erase_verification(user: User) -> None:
    """The person's residency record (postcode) and code letters are deleted: they exist only for the
    person. Confirmations and letters other people got from the person as staff stay, pointing to
    the anonymised account."""
    Verification.objects.filter(user=user).delete()
    CodeLetter.objects.filter(user=user).delete()


register_export_section(
    "accounts.verification",
    verification_section,
    models=[Verification, CodeLetter],
    title=_("Bestätigung des Wohnorts"),
    purpose=_("Nachweis, dass Sie in der Stadt wohnen, für Abstimmungen nur für Einwohner:innen."),
    retention=_("bis Sie Ihr Konto löschen"),
    recipients=_("Mitarbeiter:innen des Bürgerbüros, die Code-Briefe versenden"),
)
register_export_section(
    "accounts.verification_staff",
    verification_staff_section,
    models=[Verification, CodeLetter],
    title=_("Tätigkeit im Bürgerbüro"),
    purpose=_("Nachvollziehbarkeit der Bestätigungen der Verwaltung."),
    retention=_("dauerhaft als Teil der Bestätigungen; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("Mitarbeiter:innen des Bürgerbüros"),
)
register_eraser("accounts.verification", erase_verification, models=[Verification, CodeLetter])
