"""The event calendar's sections of the personal-data export: events a person submitted, moderations."""

from __future__ import annotations

import posixpath
from typing import Any

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import (
    ExportFile,
    declare_no_personal_data,
    register_export_files,
    register_export_section,
)
from konzeptk.events.models import Event


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def image_archive_path(event: Event) -> str:
    return f"bilder/veranstaltungen/{event.pk}-{posixpath.basename(event.image.name or '')}"


def submitted_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": e.pk,
            "title": e.title_de,  # type: ignore[attr-defined]
            "description": e.description_de,  # type: ignore[attr-defined]
            "start": _iso(e.start),
            "end": _iso(e.end),
            "topic": e.topic,
            "place": e.venue.name if e.venue else "",
            "address": e.venue.address if e.venue else "",
            "organiser": e.organiser_name,
            "link": e.link,
            "is_free": e.is_free,
            "price": str(e.price) if e.price is not None else None,
            "status": e.status,
            "rejection_reason": e.rejection_reason,
            "image": image_archive_path(e) if e.image else None,
            "image_alt": e.image_alt,
            "submitted_at": _iso(e.created_at),
        }
        for e in Event.objects.filter(submitted_by=user).select_related("venue").order_by("created_at", "pk")
    ]


def submitted_images(user: Any) -> list[ExportFile]:
    return [
        ExportFile(path=image_archive_path(e), storage=e.image.storage, name=e.image.name or "")
        for e in Event.objects.filter(submitted_by=user).exclude(image="").order_by("pk")
    ]


def moderated_section(user: Any) -> list[dict[str, Any]]:
    return [
        {"id": pk, "title": title, "status": status, "at": _iso(at)}
        for pk, title, status, at in Event.objects.filter(moderated_by=user)
        .order_by("moderated_at", "pk")
        .values_list("pk", "title", "status", "moderated_at")
    ]


register_export_section(
    "events.submitted",
    submitted_section,
    models=[Event],
    title=_("Eingereichte Veranstaltungen"),
    purpose=_("Prüfung und Veröffentlichung Ihrer Veranstaltungen im Veranstaltungskalender."),
    retention=_(
        "bis Sie Ihr Konto löschen; veröffentlichte Veranstaltungen bleiben danach ohne Bezug zu Ihrem Konto im Kalender"
    ),
    recipients=_("die Redaktion; nach der Prüfung öffentlich: die Angaben zur Veranstaltung, nie Ihr Konto"),
)
register_export_files("events.images", submitted_images, models=[Event])
register_export_section(
    "events.moderated",
    moderated_section,
    models=[Event],
    title=_("Geprüfte Veranstaltungen als Mitarbeiter:in"),
    purpose=_("Nachvollziehbarkeit der Prüfung."),
    retention=_("dauerhaft als Teil der Veranstaltung; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("niemand"),
)

declare_no_personal_data(
    "events.Venue",
    "events.Feed",
    "events.ImportRun",
    reason="Places of events, the calendars the city imports and the reports of their imports name no person; "
    "an import report lists UIDs and error messages of public calendar entries.",
)
