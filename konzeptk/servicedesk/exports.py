"""The Mängelmelder sections of the personal-data export.

Reports and follows are stored under an e-mail address, not an account: they are the person's when
the address is one of the account's verified addresses (``verified_emails``).
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import (
    ExportFile,
    declare_no_personal_data,
    email_q,
    register_export_files,
    register_export_section,
    verified_emails,
)
from konzeptk.servicedesk.models import Follower, Report, ReportPhoto, ReportUpdate


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def photo_archive_path(photo: ReportPhoto, public_id: str) -> str:
    return f"bilder/maengelmelder/{public_id}-{posixpath.basename(photo.image.name or '')}"


def _reports(user: Any) -> Any:
    return Report.objects.filter(email_q("email", verified_emails(user)))


def reports_section(user: Any) -> list[dict[str, Any]]:
    if not verified_emails(user):
        return []
    photos = ReportPhoto.objects.order_by("pk")
    reports = (
        _reports(user)
        .select_related("category")
        .prefetch_related(Prefetch("photos", queryset=photos))
        .order_by("requested_at", "pk")
    )
    return [
        {
            "service_request_id": report.service_request_id,
            "category": report.category.name,
            "description": report.description,
            "lat": report.lat,
            "lon": report.lon,
            "address": report.address,
            "email": report.email,
            "email_confirmed_at": _iso(report.email_confirmed_at),
            "attributes": report.attributes,
            "status": report.status,
            "published": report.published,
            "requested_at": _iso(report.requested_at),
            "closed_at": _iso(report.closed_at),
            "photos": [photo_archive_path(p, report.service_request_id) for p in report.photos.all()],
        }
        for report in reports
    ]


def report_photos(user: Any) -> list[ExportFile]:
    if not verified_emails(user):
        return []
    photos = ReportPhoto.objects.filter(report__in=_reports(user)).select_related("report").order_by("pk")
    return [
        ExportFile(
            path=photo_archive_path(p, p.report.service_request_id),
            storage=p.image.storage,
            name=p.image.name or "",
        )
        for p in photos
    ]


def follows_section(user: Any) -> list[dict[str, Any]]:
    addresses = verified_emails(user)
    if not addresses:
        return []
    return [
        {"service_request_id": public_id, "email": email, "since": _iso(at)}
        for public_id, email, at in Follower.objects.filter(email_q("email", addresses))
        .order_by("created_at", "pk")
        .values_list("report__service_request_id", "email", "created_at")
    ]


def email_keys(addresses: list[str]) -> list[str]:
    """The keyed hashes an anonymous support stores for these addresses (servicedesk.following)."""
    from konzeptk.servicedesk import following

    return [following._keyed("support-email", address.casefold()) for address in addresses]


def supports_section(user: Any) -> list[dict[str, Any]]:
    """Reports the person supported ("I have this problem too"), signed in or under a verified address."""
    from konzeptk.servicedesk.models import ReportSupport

    mine = Q(user=user)
    keys = email_keys(verified_emails(user))
    if keys:
        mine |= Q(email_key__in=keys)
    return [
        {"service_request_id": public_id, "signed_in": user_id is not None, "at": _iso(at)}
        for public_id, user_id, at in ReportSupport.objects.filter(mine)
        .order_by("created_at", "pk")
        .values_list("report__service_request_id", "user_id", "created_at")
    ]


def staff_updates_section(user: Any) -> list[dict[str, Any]]:
    """Timeline entries the person wrote as staff, and reports assigned to them."""
    return [
        {"service_request_id": public_id, "kind": kind, "text": text, "at": _iso(at)}
        for public_id, kind, text, at in ReportUpdate.objects.filter(author=user)
        .order_by("created_at", "pk")
        .values_list("report__service_request_id", "kind", "text", "created_at")
    ] + [
        {"service_request_id": public_id, "kind": "assigned", "text": "", "at": None}
        for public_id in Report.objects.filter(assignee=user)
        .order_by("pk")
        .values_list("service_request_id", flat=True)
    ]


register_export_section(
    "servicedesk.reports",
    reports_section,
    models=[Report, ReportPhoto],
    title=_("Mängelmeldungen"),
    purpose=_(
        "Bearbeitung Ihrer Meldung durch die zuständige Stelle und Nachrichten zum Stand an Ihre E-Mail-Adresse."
    ),
    retention=_(
        "bis Sie Ihr Konto löschen; die Meldung selbst bleibt danach ohne Ihre Angaben für die Bearbeitung"
    ),
    recipients=_(
        "die zuständige Organisation; nach Prüfung öffentlich: Kategorie, Ort, Beschreibung und Fotos, nie Ihre E-Mail-Adresse"
    ),
)
register_export_files("servicedesk.report_photos", report_photos, models=[ReportPhoto])
register_export_section(
    "servicedesk.follows",
    follows_section,
    models=[Follower],
    title=_("Verfolgte Mängelmeldungen"),
    purpose=_("E-Mails, wenn sich der Stand einer Meldung ändert."),
    retention=_("bis Sie sich abmelden oder Ihr Konto löschen"),
    recipients=_("niemand"),
)
register_export_section(
    "servicedesk.supports",
    supports_section,
    models=["servicedesk.ReportSupport"],
    title=_("Unterstützte Mängelmeldungen"),
    purpose=_("Jede Person zählt einmal, wenn sie angibt, dasselbe Problem zu haben."),
    retention=_("dauerhaft als Teil der Zahl der Unterstützungen; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("niemand; öffentlich ist nur die Zahl"),
)
register_export_section(
    "servicedesk.staff_updates",
    staff_updates_section,
    models=[ReportUpdate],
    title=_("Bearbeitung von Meldungen als Mitarbeiter:in"),
    purpose=_("Nachvollziehbarkeit der Bearbeitung."),
    retention=_("dauerhaft als Verlauf der Meldung; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("öffentliche Hinweise: alle; interne Notizen: die bearbeitenden Stellen"),
)

declare_no_personal_data(
    "servicedesk.Category",
    "servicedesk.CategoryAttribute",
    "servicedesk.ApiKey",
    reason="Categories, their extra questions and the Open311 client applications are set up by the "
    "city; a key names an application, not a person.",
)
