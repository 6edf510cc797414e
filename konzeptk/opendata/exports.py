"""The open data catalogue's section of a person's data export (DSGVO Art. 15 and 20), found by the registry."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import declare_no_personal_data, register_export_section
from konzeptk.accounts.models import User
from konzeptk.opendata.models import Dataset, DatasetRequest


def data_requests_section(user: User) -> list[dict[str, Any]]:
    return [
        {
            "title": request.title,
            "description": request.description,
            "at": request.created_at.isoformat(),
            "status": request.status,
            "answer": request.answer,
        }
        for request in DatasetRequest.objects.filter(requester=user).order_by("created_at", "pk")
    ]


def registered_datasets_section(user: User) -> list[dict[str, Any]]:
    return [
        {
            "name": dataset.name,
            "title": dataset.title,
            "publisher": dataset.publisher.name if dataset.publisher else None,
        }
        for dataset in Dataset.objects.filter(created_by=user).select_related("publisher").order_by("pk")
    ]


register_export_section(
    "opendata.requests",
    data_requests_section,
    models=[DatasetRequest],
    title=_("Ihre Datenwünsche"),
    purpose=_("Wünsche nach Daten, die die Stadt öffentlich beantwortet; Ihr Name erscheint dabei nicht."),
    retention=_("bis Sie Ihr Konto löschen; danach bleibt der Wunsch ohne Bezug zu Ihnen sichtbar"),
    recipients=_("öffentlich ohne Ihren Namen; die Open-Data-Redaktion sieht, wer ihn gestellt hat"),
)
register_export_section(
    "opendata.datasets",
    registered_datasets_section,
    models=[Dataset],
    title=_("Von Ihnen eingetragene Datensätze"),
    purpose=_("Wer einen Datensatz für eine Organisation eingetragen hat, für Rückfragen der Organisation."),
    retention=_("bis Sie Ihr Konto löschen; die Datensätze gehören der Organisation und bleiben"),
    recipients=_("die Redaktion der Organisation"),
)
declare_no_personal_data(
    "opendata.Distribution",
    "opendata.DataService",
    "opendata.Tag",
    "opendata.HarvestSource",
    "opendata.HarvestRun",
    reason="Files, services, facet values and harvest reports describe published data of organisations, "
    "not persons; who registered a dataset is in Dataset.created_by (exported and erased).",
)
