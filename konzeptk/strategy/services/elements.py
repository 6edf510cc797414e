"""Editing the elements of a draft revision: fields of action, sub-topics, themes, goals, measures."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from konzeptk.accounts.models import User
from konzeptk.core.content import content_assign, content_fields
from konzeptk.core.errors import DomainError
from konzeptk.strategy.models import (
    FieldOfAction,
    Goal,
    Revision,
    RevisionElement,
    element_kinds,
)
from konzeptk.strategy.services.revisions import require_draft

ELEMENT_MODELS: dict[str, type[RevisionElement]] = {k.name: k.model for k in element_kinds()}
PARENT_KIND = {"sub_topic": "field", "goal": "field", "measure": "goal"}


def _parent(kind: str, revision: Revision, parent_id: int | None) -> RevisionElement | None:
    parent_kind = PARENT_KIND.get(kind)
    if parent_kind is None:
        return None
    parent = ELEMENT_MODELS[parent_kind].objects.filter(revision=revision, pk=parent_id).first()
    if parent is None:
        raise DomainError("parent_missing", _("Bitte wählen Sie, wozu das Element gehört."))
    return parent


@transaction.atomic
def element_add(
    *,
    revision: Revision,
    kind: str,
    title: str,
    by: User | None,
    description: str = "",
    parent_id: int | None = None,
    city_concept: str = "",
    key: uuid.UUID | None = None,
    is_demo_content: bool = False,
    translations: Mapping[str, str] | None = None,
) -> RevisionElement:
    """Add an element at the end of its kind. ``key`` keeps an element recognisable across revisions
    (an import or the demo passes the key it had before); without one a new key is made."""
    require_draft(revision)
    if kind not in ELEMENT_MODELS:
        raise DomainError("unknown_kind", _("Unbekannte Art von Element."))
    if not title.strip():
        raise DomainError("title_missing", _("Bitte geben Sie einen Titel an."))
    model = ELEMENT_MODELS[kind]
    parent = _parent(kind, revision, parent_id)
    position = (model.objects.filter(revision=revision).aggregate(m=Max("position"))["m"] or 0) + 1
    attrs: dict[str, Any] = {
        "revision": revision,
        # the German original and the translations staff entered (docs/content-languages.md)
        **content_fields(
            german={"title": title.strip(), "description": description.strip()}, translations=translations
        ),
        "position": position,
        "updated_by": by,
        "is_demo_content": is_demo_content,
    }
    if key is not None:
        if model.objects.filter(revision=revision, key=key).exists():
            raise DomainError("duplicate_key", _("Dieses Element gibt es in der Fassung schon."))
        attrs["key"] = key
    if parent is not None:
        attrs[PARENT_KIND[kind]] = parent
    if kind == "goal":
        attrs["city_concept"] = city_concept.strip()
    return model.objects.create(**attrs)


def _element(revision: Revision, kind: str, element_id: int) -> RevisionElement:
    model = ELEMENT_MODELS.get(kind)
    element = (
        model.objects.select_for_update().filter(revision=revision, pk=element_id).first() if model else None
    )
    if element is None:
        raise DomainError("not_found", _("Dieses Element gibt es in der Fassung nicht."), 404)
    return element


@transaction.atomic
def element_update(
    *,
    revision: Revision,
    kind: str,
    element_id: int,
    by: User | None,
    title: str,
    description: str | None = None,
    parent_id: int | None = None,
    position: int | None = None,
    city_concept: str | None = None,
    translations: Mapping[str, str] | None = None,
) -> RevisionElement:
    """Rename, re-describe or move (other parent, other position) an element of a draft."""
    require_draft(revision)
    element = _element(revision, kind, element_id)
    if not title.strip():
        raise DomainError("title_missing", _("Bitte geben Sie einen Titel an."))
    german = {"title": title.strip()}
    if description is not None:
        german["description"] = description.strip()
    content_assign(element, german=german, translations=translations)
    if parent_id is not None and kind in PARENT_KIND:
        setattr(element, PARENT_KIND[kind], _parent(kind, revision, parent_id))
    if position is not None:
        if position < 0:
            raise DomainError("position_invalid", _("Die Reihenfolge muss eine Zahl ab 0 sein."))
        element.position = position
    if city_concept is not None and isinstance(element, Goal):
        element.city_concept = city_concept.strip()
    element.updated_by = by
    element.save()
    return element


@transaction.atomic
def element_delete(*, revision: Revision, kind: str, element_id: int, by: User | None) -> None:
    require_draft(revision)
    element = _element(revision, kind, element_id)
    if isinstance(element, FieldOfAction) and (element.goals.exists() or element.sub_topics.exists()):
        raise DomainError(
            "not_empty",
            _(
                "Das Handlungsfeld enthält noch Ziele oder Teilthemen. Bitte verschieben oder löschen Sie diese zuerst."
            ),
        )
    if isinstance(element, Goal) and element.measures.exists():
        raise DomainError(
            "not_empty",
            _("Das Ziel enthält noch Maßnahmen. Bitte verschieben oder löschen Sie diese zuerst."),
        )
    element.delete()
