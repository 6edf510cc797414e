"""Writes of the category catalogue of the Mängelmelder: categories (Open311 services) and their extra
questions (Open311 attributes). Keyword-only, one transaction each; a category is found by its
``service_code``, an extra question by its category and code, so saving again updates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from konzeptk.accounts.models import Organisation
from konzeptk.core.content import content_fields
from konzeptk.core.errors import DomainError
from konzeptk.servicedesk.models import Category, CategoryAttribute

LIST_TYPES = frozenset(
    {CategoryAttribute.Datatype.SINGLEVALUELIST, CategoryAttribute.Datatype.MULTIVALUELIST}
)


@transaction.atomic
def category_save(
    *,
    service_code: str,
    name: str,
    parent: Category | None = None,
    organisation: Organisation | None = None,
    expected_days: int = 14,
    description: str = "",
    order: int = 0,
    active: bool = True,
    translations: Mapping[str, str] | None = None,
) -> Category:
    """Create the category with this service code or update it. Without an organisation the parent's
    is responsible (see :meth:`Category.responsible_organisation`)."""
    if not name.strip():
        raise DomainError("name_missing", _("Bitte geben Sie einen Namen an."))
    if expected_days < 0:
        raise DomainError("days_negative", _("Die Bearbeitungszeit darf nicht negativ sein."))
    if parent is not None and parent.service_code == service_code:
        raise DomainError("parent_self", _("Eine Kategorie kann nicht ihre eigene Oberkategorie sein."))
    category, _created = Category.objects.update_or_create(
        service_code=service_code,
        defaults={
            # the German original; ``translations`` (name_en, description_tr, …) beside it
            **content_fields(
                german={"name": name.strip(), "description": description.strip()}, translations=translations
            ),
            "parent": parent,
            "organisation": organisation,
            "expected_days": expected_days,
            "order": order,
            "active": active,
        },
    )
    return category


@transaction.atomic
def category_attribute_save(
    *,
    category: Category,
    code: str,
    description: str,
    datatype: str = CategoryAttribute.Datatype.STRING,
    required: bool = False,
    order: int = 0,
    datatype_description: str = "",
    values: list[dict[str, Any]] | None = None,
    translations: Mapping[str, str] | None = None,
) -> CategoryAttribute:
    """Create or update an extra question of a category; a choice needs its values (key and name)."""
    if datatype not in CategoryAttribute.Datatype.values:
        raise DomainError("datatype_unknown", _("Diesen Datentyp gibt es nicht."))
    if not description.strip():
        raise DomainError("description_missing", _("Bitte geben Sie die Frage an."))
    choices = values or []
    if datatype in LIST_TYPES and not choices:
        raise DomainError("values_missing", _("Eine Auswahl braucht mindestens einen Wert."))
    if any(not isinstance(v, dict) or not v.get("key") or not v.get("name") for v in choices):
        raise DomainError("values_invalid", _("Jeder Auswahlwert braucht eine Kennung und einen Namen."))
    attribute, _created = CategoryAttribute.objects.update_or_create(
        category=category,
        code=code,
        defaults={
            **content_fields(
                german={
                    "description": description.strip(),
                    "datatype_description": datatype_description.strip(),
                },
                translations=translations,
            ),
            "datatype": datatype,
            "required": required,
            "order": order,
            "values": choices,
        },
    )
    return attribute
