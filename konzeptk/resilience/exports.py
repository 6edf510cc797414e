"""The city's alerts in the personal-data export: a person's subscriptions to warnings and the facilities
whose contact they are (matched by account and by the account's e-mail address)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import declare_no_personal_data, register_export_section
from konzeptk.resilience.models import CoolPlace, Facility, ImportRun, Rule, Subscription, Warning


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def subscriptions_of(user: Any) -> QuerySet[Subscription]:
    match = Q(user=user)
    if getattr(user, "email", ""):
        match |= Q(email__iexact=user.email, facility__isnull=True)
    return Subscription.objects.filter(match).prefetch_related("districts").order_by("pk")


def facilities_of(user: Any) -> QuerySet[Facility]:
    match = Q(contact_user=user)
    if getattr(user, "email", ""):
        match |= Q(contact_email__iexact=user.email)
    return Facility.objects.filter(match).order_by("pk")


def subscriptions_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": s.pk,
            "email": s.email,
            "inbox": s.by_inbox,
            "by_email": s.by_email,
            "language": s.language,
            "districts": [d.name for d in s.districts.all()],
            "created_at": _iso(s.created_at),
            "confirmed_at": _iso(s.confirmed_at),
            "alerts_sent": s.deliveries.count(),
        }
        for s in subscriptions_of(user)
    ]


def facilities_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": f.pk,
            "name": f.name,
            "kind": f.kind,
            "address": f.address,
            "contact_email": f.contact_email,
            "confirmed_at": _iso(f.confirmed_at),
            "invited_at": _iso(f.created_at),
        }
        for f in facilities_of(user)
    ]


register_export_section(
    "resilience.subscriptions",
    subscriptions_section,
    models=[Subscription],
    title=_("Abonnierte Warnungen"),
    purpose=_("Warnungen der Stadt für die gewählten Stadtteile in der gewählten Sprache zu schicken."),
    retention=_("bis Sie das Abonnement beenden; unbestätigte Anmeldungen werden nach 7 Tagen gelöscht"),
    recipients=_("niemand außerhalb der Plattform; E-Mails gehen über den Mailserver der Plattform"),
)
register_export_section(
    "resilience.facilities",
    facilities_section,
    models=[Facility],
    title=_("Einrichtungen, für die Sie Hitzewarnungen erhalten"),
    purpose=_("Hitzewarnungen mit der Checkliste des Hitzeaktionsplans an die Einrichtung zu schicken."),
    retention=_("bis die Einrichtung die Warnungen abbestellt oder die Stadt sie austrägt"),
    recipients=_("die Verwaltung der Stadt, die die Einrichtungen einlädt"),
)
declare_no_personal_data(
    Rule, reason="Auslöseregeln der Verwaltung: Schwellen und Warntexte zu Messwerten, nichts über Personen"
)
declare_no_personal_data(
    CoolPlace,
    reason="Kühle Orte (res-heat): öffentliche Orte mit Adresse, Öffnungszeiten und Hinweis der Verwaltung, nichts über Personen",
)
declare_no_personal_data(
    Warning,
    ImportRun,
    reason="Warnungen des DWD, der Warn-App NINA und der Stadt (Wetter, Gebiete, Verhaltenshinweise) und die "
    "Berichte ihrer Importe (Adresse der Quelle, Fehler): nichts über Personen",
)
