"""The core app's part of the personal-data export: feedback on accessibility sent under one of the
person's verified addresses; the operator's pages hold nothing about a person."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import (
    declare_no_personal_data,
    email_q,
    register_export_section,
    verified_emails,
)
from konzeptk.core.models import AccessibilityFeedback


def feedback_section(user: Any) -> list[dict[str, Any]]:
    addresses = verified_emails(user)
    if not addresses:
        return []
    return [
        {"name": name, "email": email, "page": page, "message": message, "at": at.isoformat()}
        for name, email, page, message, at in AccessibilityFeedback.objects.filter(
            email_q("email", addresses)
        )
        .order_by("created_at", "pk")
        .values_list("name", "email", "page_url", "message", "created_at")
    ]


register_export_section(
    "core.accessibility_feedback",
    feedback_section,
    models=[AccessibilityFeedback],
    title=_("Rückmeldungen zur Barrierefreiheit"),
    purpose=_("Bearbeitung Ihrer Rückmeldung und Antwort an Sie (BITV 2.0)."),
    retention=_(
        "bis Sie Ihr Konto löschen; danach bleibt die Beschreibung der Barriere ohne Name und Adresse"
    ),
    recipients=_("die für Barrierefreiheit zuständigen Mitarbeiter:innen"),
)

declare_no_personal_data(
    "core.SitePage",
    reason="Impressum, privacy statement and sign-language page: text and video of the operator.",
)
