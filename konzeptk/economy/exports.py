"""The economy section of the personal-data export: the person's claims on businesses."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import declare_no_personal_data, register_export_section
from konzeptk.economy.models import Business, Claim, Offer


def claims_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "business": claim.business.name,
            "role": claim.role,
            "evidence": claim.evidence,
            "status": claim.status,
            "staff_note": claim.staff_note,
            "created_at": claim.created_at.isoformat(),
            "decided_at": claim.decided_at.isoformat() if claim.decided_at else None,
        }
        for claim in Claim.objects.filter(user=user).select_related("business").order_by("created_at", "pk")
    ]


register_export_section(
    "economy_claims",
    claims_section,
    models=[Claim],
    title=_("Ansprüche auf Einträge der Schatzkarte"),
    purpose=_("Prüfen, ob Sie ein Geschäft vertreten, damit Sie seinen Eintrag pflegen können"),
    retention=_(
        "bis Sie Ihr Konto löschen; ein bestätigter Anspruch gilt, solange er nicht zurückgezogen ist"
    ),
    recipients=_("die Verwaltung, die Ansprüche prüft"),
)

declare_no_personal_data(
    Business,
    reason=(
        "Entries describe businesses (name, address, hours, the business's own phone and website), published "
        "as such; who edits them is recorded only in Claim, which is exported and erased."
    ),
)
declare_no_personal_data(
    Offer, reason="Offers of the business development agency, written by staff; no person."
)
