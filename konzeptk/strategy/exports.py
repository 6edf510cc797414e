"""The strategy sections of the personal-data export: what a staff member wrote into the strategy,
and projects that name the person as contact."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from konzeptk.accounts.export_registry import (
    declare_no_personal_data,
    email_q,
    register_export_section,
    verified_emails,
)
from konzeptk.strategy.models import (
    CrossCuttingTheme,
    FieldOfAction,
    Goal,
    IndicatorValue,
    Measure,
    Project,
    Revision,
    StageTransition,
    SubTopic,
)

#: model -> the fields that link a record to the person who wrote it
AUTHORED: dict[type[Any], tuple[str, ...]] = {
    Revision: ("created_by", "adopted_by"),
    FieldOfAction: ("updated_by",),
    SubTopic: ("updated_by",),
    CrossCuttingTheme: ("updated_by",),
    Goal: ("updated_by",),
    Measure: ("updated_by",),
    Project: ("created_by", "updated_by"),
    StageTransition: ("created_by",),
    IndicatorValue: ("created_by",),
}


def authorship_section(user: Any) -> dict[str, Any]:
    """Per kind of record, the ids of those the person created, changed or adopted last."""
    result: dict[str, Any] = {}
    for model, fields in AUTHORED.items():
        for field in fields:
            ids = list(model.objects.filter(**{field: user}).order_by("pk").values_list("pk", flat=True))
            if ids:
                result[f"{model._meta.model_name}.{field}"] = ids
    return result


def contact_section(user: Any) -> list[dict[str, Any]]:
    addresses = verified_emails(user)
    if not addresses:
        return []
    return [
        {"project": slug, "title": title, "contact_name": name, "contact_email": email}
        for slug, title, name, email in Project.objects.filter(email_q("contact_email", addresses))
        .order_by("pk")
        .values_list("slug", "title", "contact_name", "contact_email")
    ]


register_export_section(
    "strategy.authorship",
    authorship_section,
    models=list(AUTHORED),
    title=_("Arbeit an der Smart-City-Strategie"),
    purpose=_("Nachvollziehbarkeit, wer die Strategie und ihre Projekte bearbeitet hat."),
    retention=_("dauerhaft als Verlauf der Strategie; nach der Löschung ohne Bezug zu Ihnen"),
    recipients=_("die Redaktion der Strategie"),
)
register_export_section(
    "strategy.project_contacts",
    contact_section,
    models=[Project],
    title=_("Ansprechperson für Projekte"),
    purpose=_("Kontakt für Fragen zu einem Projekt der Strategie."),
    retention=_("bis die Redaktion die Ansprechperson ändert oder Sie Ihr Konto löschen"),
    recipients=_("öffentlich auf der Projektseite"),
)

declare_no_personal_data(
    "strategy.Strategy",
    "strategy.Milestone",
    "strategy.WebLink",
    "strategy.Indicator",
    "strategy.IndicatorTarget",
    "strategy.IndicatorBinding",
    reason="The strategy's own content, written by the city's editors for the public; who edited a "
    "record is kept on the records listed in AUTHORED.",
)
