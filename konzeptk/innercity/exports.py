"""The inner city's sections of the personal-data export: the owner profile, the units a person offers
(with their photos), and counts a person took as staff."""

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
from konzeptk.innercity.models import Owner, Unit, UnitPhoto, VacancyCount


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def photo_archive_path(photo: UnitPhoto) -> str:
    return f"bilder/innenstadt/{photo.unit_id}-{posixpath.basename(photo.image.name or '')}"


def owner_section(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "role": owner.role,
            "contact_name": owner.contact_name,
            "organisation": owner.organisation,
            "phone": owner.phone,
            "verified_at": _iso(owner.verified_at),
            "created_at": _iso(owner.created_at),
        }
        for owner in Owner.objects.filter(user=user).order_by("pk")
    ]


def units_section(user: Any) -> list[dict[str, Any]]:
    units = Unit.objects.filter(owner=user).prefetch_related("uses", "photos").order_by("pk")
    return [
        {
            "id": unit.pk,
            "title": unit.title_de,
            "description": unit.description_de,
            "address": unit.address,
            "lat": unit.lat,
            "lon": unit.lon,
            "area_m2": str(unit.area_m2),
            "shop_window_m": None if unit.shop_window_m is None else str(unit.shop_window_m),
            "floor": unit.floor,
            "step_free": unit.step_free,
            "rent_per_month": None if unit.rent_per_month is None else str(unit.rent_per_month),
            "available_from": _iso(unit.available_from),
            "uses": sorted(use.key for use in unit.uses.all()),
            "owner_consent_public": unit.owner_consent_public,
            "status": unit.status,
            "created_at": _iso(unit.created_at),
            "photos": [photo_archive_path(p) for p in unit.photos.all()],
        }
        for unit in units
    ]


def unit_photos(user: Any) -> list[ExportFile]:
    return [
        ExportFile(path=photo_archive_path(p), storage=p.image.storage, name=p.image.name or "")
        for p in UnitPhoto.objects.filter(unit__owner=user).order_by("pk")
    ]


def counts_section(user: Any) -> list[dict[str, Any]]:
    return [
        {"count_date": _iso(day), "taken_at": _iso(at)}
        for day, at in VacancyCount.objects.filter(taken_by=user)
        .order_by("count_date")
        .values_list("count_date", "taken_at")
    ]


register_export_section(
    "innercity.owner",
    owner_section,
    models=[Owner],
    title=_("Anbieter:in von Ladenlokalen"),
    purpose=_("Prüfung, ob Sie Ladenlokale anbieten dürfen, und Rückfragen der Innenstadtkoordination."),
    retention=_("bis Sie Ihr Konto löschen"),
    recipients=_("die Innenstadtkoordination der Stadt; nie öffentlich"),
)
register_export_section(
    "innercity.units",
    units_section,
    models=[Unit, UnitPhoto],
    title=_("Angebotene Ladenlokale"),
    purpose=_("Vermittlung leer stehender Ladenlokale und das Leerstandsregister der Innenstadt."),
    retention=_("das Ladenlokal bleibt im Register; nach der Löschung Ihres Kontos ohne Bezug zu Ihnen"),
    recipients=_(
        "mit Ihrer Zustimmung öffentlich: Adresse, Fläche, Miete, Fotos, Beschreibung – nie Ihr Name"
    ),
)
register_export_files("innercity.unit_photos", unit_photos, models=[UnitPhoto])
register_export_section(
    "innercity.counts",
    counts_section,
    models=[VacancyCount],
    title=_("Leerstandszählungen als Mitarbeiter:in"),
    purpose=_("Nachvollziehbarkeit der Zählungen."),
    retention=_("dauerhaft als Teil der Statistik; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("öffentlich sind nur die Zahlen"),
)
declare_no_personal_data(
    "innercity.Use",
    "innercity.VacancyCountRow",
    reason="The controlled list of uses and the counted figures per street and district name no person.",
)
